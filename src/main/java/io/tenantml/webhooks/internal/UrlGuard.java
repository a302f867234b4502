package io.tenantml.webhooks.internal;

import io.tenantml.webhooks.WebhooksConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Server-side request forgery guard of outbound webhook requests: only {@code http}/{@code https} URLs whose host
 * resolves to public addresses only, unless its {@code host:port} is on {@code tenantml.webhooks.allowed-hosts}.
 * Checked when an endpoint is registered and again before every attempt on the addresses the host resolves to
 * then (DNS may have changed). The check answers the address it approved, and an attempt connects to exactly that
 * address ({@link ReceiverClient}): a host that resolved to a public address for the check cannot resolve to an
 * internal one for the connection (DNS rebinding). Redirects are never followed (a 3xx is a failed attempt), so a
 * public receiver cannot bounce a request to an internal address.
 */
@ApplicationScoped
public class UrlGuard {

    /** Why a URL may not be called; the message is shown to the tenant. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    @Inject
    WebhooksConfig config;

    /**
     * Where a checked URL is sent: the URL (its host names the receiver in {@code Host}, TLS SNI and the certificate
     * check) and the one address the guard approved, which the connection must use instead of resolving the host
     * again.
     */
    public record Target(URI uri, String host, int port, boolean tls, InetAddress address) {
        public Target {
            java.util.Objects.requireNonNull(uri, "uri");
            java.util.Objects.requireNonNull(host, "host");
            java.util.Objects.requireNonNull(address, "address");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is not in 1..65535");
            }
        }
    }

    /** The URL parsed and checked: scheme, host, no user info, and (unless allow-listed) public addresses only. */
    public Target check(String url) throws Refused {
        return check(
                url,
                config.allowedHosts().orElse(java.util.List.of()).stream()
                        .map(s -> s.trim().toLowerCase(Locale.ROOT))
                        .filter(s -> !s.isEmpty())
                        .collect(Collectors.toSet()));
    }

    /** {@link #check(String)} with an explicit allow-list of lower-case {@code host:port} entries. */
    static Target check(String url, Set<String> allowed) throws Refused {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new Refused("url is not a valid URI: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Refused("url must be http or https");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new Refused("url must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new Refused("url may not carry user info (credentials)");
        }
        if (uri.getRawFragment() != null) {
            throw new Refused("url may not carry a fragment");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            // before the host is resolved: no lookup for a URL that could never be called
            throw new Refused("url port " + uri.getPort() + " is not in 1..65535");
        }
        String host = hostOf(uri);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String hostPort = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new Refused("url host '" + host + "' cannot be resolved");
        }
        Target target = new Target(uri, host, port, scheme.equals("https"), addresses[0]);
        if (allowed.contains(hostPort) || allowed.contains(host + ":" + port)) {
            return target;
        }
        for (InetAddress address : addresses) {
            String why = internal(address);
            if (why != null) {
                throw new Refused("url host '" + host + "' resolves to " + address.getHostAddress() + ", "
                        + ("aeiouAEIOU".indexOf(why.charAt(0)) >= 0 ? "an " : "a ") + why
                        + " address; only public addresses may receive webhooks");
            }
        }
        return target;
    }

    private static String hostOf(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    /** Why an address is not public (loopback, private, ...), or null when it is. */
    static String internal(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            if (isMappedOrCompatible(b)) {
                return internalV4(new byte[] {b[12], b[13], b[14], b[15]}, "IPv4-mapped ");
            }
            // NAT64 well-known prefix 64:ff9b::/96 and 6to4 2002::/16 carry an IPv4 address
            if (b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
                return internalV4(new byte[] {b[12], b[13], b[14], b[15]}, "NAT64 ");
            }
            if (b[0] == 0x20 && b[1] == 0x02) {
                return internalV4(new byte[] {b[2], b[3], b[4], b[5]}, "6to4 ");
            }
            if (v6.isAnyLocalAddress()) {
                return "unspecified";
            }
            if (v6.isLoopbackAddress()) {
                return "loopback";
            }
            if (v6.isLinkLocalAddress()) {
                return "link-local";
            }
            if (v6.isSiteLocalAddress()) {
                return "site-local";
            }
            if (v6.isMulticastAddress()) {
                return "multicast";
            }
            if ((b[0] & 0xfe) == 0xfc) {
                return "unique-local";
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
                return "documentation";
            }
            if ((b[0] & 0xe0) != 0x20) {
                return "non-global-unicast"; // only 2000::/3 is global unicast
            }
            return null;
        }
        if (address instanceof Inet4Address) {
            return internalV4(address.getAddress(), "");
        }
        return "unknown";
    }

    private static boolean isMappedOrCompatible(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        boolean mapped = (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0);
        return mapped || compatible;
    }

    private static String internalV4(byte[] b, String prefix) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        String why = null;
        if (a0 == 0) {
            why = "unspecified";
        } else if (a0 == 127) {
            why = "loopback";
        } else if (a0 == 10 || (a0 == 172 && a1 >= 16 && a1 <= 31) || (a0 == 192 && a1 == 168)) {
            why = "private";
        } else if (a0 == 169 && a1 == 254) {
            why = "link-local";
        } else if (a0 == 100 && a1 >= 64 && a1 <= 127) {
            why = "shared (carrier-grade NAT)";
        } else if (a0 == 192 && a1 == 0 && a2 == 0) {
            why = "IETF protocol";
        } else if ((a0 == 192 && a1 == 0 && a2 == 2)
                || (a0 == 198 && a1 == 51 && a2 == 100)
                || (a0 == 203 && a1 == 0 && a2 == 113)) {
            why = "documentation";
        } else if (a0 == 198 && (a1 == 18 || a1 == 19)) {
            why = "benchmarking";
        } else if (a0 >= 224 && a0 <= 239) {
            why = "multicast";
        } else if (a0 >= 240) {
            why = "reserved";
        }
        return why == null ? null : prefix + why;
    }
}
