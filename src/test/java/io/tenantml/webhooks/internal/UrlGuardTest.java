package io.tenantml.webhooks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UrlGuardTest {

    @Test
    void shouldClassifyEveryInternalRangeAndLetPublicAddressesThrough() throws Exception {
        List<String> internal = List.of(
                "127.0.0.1",
                "127.255.0.1",
                "0.0.0.0",
                "10.1.2.3",
                "172.16.0.1",
                "172.31.255.255",
                "192.168.1.1",
                "169.254.169.254",
                "100.64.0.1",
                "192.0.0.170",
                "192.0.2.1",
                "198.18.0.1",
                "224.0.0.1",
                "239.255.255.250",
                "240.0.0.1",
                "255.255.255.255",
                "::",
                "::1",
                "fe80::1",
                "fec0::1",
                "fc00::1",
                "fd12:3456::1",
                "ff02::1",
                "::ffff:127.0.0.1",
                "::ffff:169.254.169.254",
                "::ffff:10.0.0.1",
                "::127.0.0.1",
                "64:ff9b::a9fe:a9fe",
                "2002:7f00:1::1",
                "2001:db8::1",
                "100::1");
        for (String address : internal) {
            assertThat(UrlGuard.internal(InetAddress.getByName(address)))
                    .as(address)
                    .isNotNull();
        }
        List<String> external = List.of(
                "93.184.216.34",
                "8.8.8.8",
                "172.15.255.255",
                "172.32.0.1",
                "100.128.0.1",
                "169.253.0.1",
                "2606:4700:4700::1111",
                "::ffff:8.8.8.8",
                "64:ff9b::808:808");
        for (String address : external) {
            assertThat(UrlGuard.internal(InetAddress.getByName(address)))
                    .as(address)
                    .isNull();
        }
    }

    @Test
    void shouldRefuseInternalTargetsNamingTheAddressUnlessTheHostAndPortAreAllowListed() throws Exception {
        assertThatThrownBy(() -> UrlGuard.check("http://127.0.0.1:8080/hook", Set.of()))
                .hasMessageContaining("127.0.0.1")
                .hasMessageContaining("loopback");
        assertThatThrownBy(() -> UrlGuard.check("http://169.254.169.254/latest/meta-data", Set.of()))
                .hasMessageContaining("link-local");
        assertThatThrownBy(() -> UrlGuard.check("http://[::ffff:127.0.0.1]:80/", Set.of()))
                .hasMessageContaining("loopback");
        assertThatThrownBy(() -> UrlGuard.check("http://[fd00::1]/", Set.of())).hasMessageContaining("unique-local");
        assertThatThrownBy(() -> UrlGuard.check("http://localhost:18580/", Set.of("127.0.0.1:18580")))
                .hasMessageContaining("loopback");
        assertThatThrownBy(() -> UrlGuard.check("http://127.0.0.1:18581/", Set.of("127.0.0.1:18580")))
                .hasMessageContaining("loopback");
        assertThat(UrlGuard.check("http://127.0.0.1:18580/hook", Set.of("127.0.0.1:18580")))
                .isEqualTo(new UrlGuard.Target(
                        java.net.URI.create("http://127.0.0.1:18580/hook"),
                        "127.0.0.1",
                        18580,
                        false,
                        InetAddress.getByName("127.0.0.1")));
        assertThat(UrlGuard.check("https://93.184.216.34/hook", Set.of()))
                .isEqualTo(new UrlGuard.Target(
                        java.net.URI.create("https://93.184.216.34/hook"),
                        "93.184.216.34",
                        443,
                        true,
                        InetAddress.getByName("93.184.216.34")));
    }

    @Test
    void shouldRefuseOtherSchemesCredentialsFragmentsAndGarbage() {
        for (String url : List.of(
                "ftp://93.184.216.34/",
                "file:///etc/passwd",
                "gopher://93.184.216.34/",
                "http://user:pw@93.184.216.34/",
                "http://93.184.216.34/#x",
                "http:///nohost",
                "not a url",
                "//93.184.216.34/")) {
            assertThatThrownBy(() -> UrlGuard.check(url, Set.of())).as(url).isInstanceOf(UrlGuard.Refused.class);
        }
    }

    /** Port 0 was a 500 (the target's own check threw), and 99999 was looked up before it was refused. */
    @Test
    void shouldRefuseAPortOutOfRangeBeforeResolvingTheHost() {
        for (String url : List.of(
                "https://93.184.216.34:0/hook",
                "https://93.184.216.34:99999/hook",
                "https://unresolvable.invalid:0/")) {
            assertThatThrownBy(() -> UrlGuard.check(url, Set.of()))
                    .as(url)
                    .isInstanceOf(UrlGuard.Refused.class)
                    .hasMessageMatching("url port \\d+ is not in 1\\.\\.65535");
        }
    }

    @Test
    void shouldNameTheKindOfAddressWithItsArticle() {
        assertThatThrownBy(() -> UrlGuard.check("http://0.0.0.0/", Set.of()))
                .hasMessageContaining(", an unspecified address");
        assertThatThrownBy(() -> UrlGuard.check("http://10.0.0.1/", Set.of()))
                .hasMessageContaining(", a private address");
    }
}
