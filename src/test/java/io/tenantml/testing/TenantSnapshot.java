package io.tenantml.testing;

import io.tenantml.shared.TenantId;
import io.tenantml.storage.BlobKey;
import io.tenantml.storage.BlobStore;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.sql.DataSource;

/**
 * Every row of a tenant in every table with a {@code tenant_id} column, and every file of its blob tree, as
 * one comparable text: equal snapshots before and after an attack mean nothing of the tenant changed.
 */
public final class TenantSnapshot {

    private TenantSnapshot() {}

    public static String of(DataSource dataSource, BlobStore blobs, String tenant) throws Exception {
        StringBuilder sb = new StringBuilder();
        try (Connection c = dataSource.getConnection()) {
            List<String> tables = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select table_name from information_schema.columns "
                            + "where table_schema = 'public' and column_name = 'tenant_id' order by table_name");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (PreparedStatement ps =
                        c.prepareStatement("select * from \"" + table + "\" where tenant_id = ? order by 1")) {
                    ps.setString(1, tenant);
                    try (ResultSet rs = ps.executeQuery()) {
                        ResultSetMetaData md = rs.getMetaData();
                        while (rs.next()) {
                            sb.append(table).append(':');
                            for (int i = 1; i <= md.getColumnCount(); i++) {
                                Object v = rs.getObject(i);
                                sb.append(v instanceof byte[] b ? HexFormat.of().formatHex(b) : v)
                                        .append('|');
                            }
                            sb.append('\n');
                        }
                    }
                }
            }
        }
        for (BlobKey key : blobs.list(new TenantId(tenant), "")) {
            try (InputStream in = blobs.open(new TenantId(tenant), key).orElseThrow()) {
                sb.append("file:")
                        .append(key)
                        .append(':')
                        .append(Arrays.hashCode(in.readAllBytes()))
                        .append('\n');
            }
        }
        return sb.toString();
    }
}
