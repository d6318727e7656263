package dev.webhookfilter.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AllowedHostsTest {

    private static final int PORT = 8080;

    private static boolean allows(AllowedHosts hosts, String host) {
        return hosts.allows(host, true, PORT, 80);
    }

    @Nested
    class Loopback {

        private final AllowedHosts none = AllowedHosts.parse(null);

        @ParameterizedTest
        @ValueSource(strings = {"localhost:8080", "127.0.0.1:8080", "[::1]:8080", "LOCALHOST:8080", " localhost:8080 "})
        void isAllowedWithThePortItWasReachedOn(String host) {
            assertTrue(allows(none, host));
        }

        @ParameterizedTest
        @ValueSource(strings = {"localhost", "localhost:80", "127.0.0.1:8081", "[::1]:443", "[::1]"})
        void isRefusedWithAnotherPort(String host) {
            assertFalse(allows(none, host));
        }

        @Test
        void meansPort80WithoutOne() {
            assertTrue(none.allows("localhost", true, 80, 80));
            assertTrue(none.allows("[::1]", true, 443, 443));
        }

        @Test
        void isRefusedWhenTheRequestCameInOnAnotherAddress() {
            assertFalse(none.allows("localhost:8080", false, PORT, 80));
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"evil.example", "evil.example:8080", "localhost.evil.example:8080",
                "127.0.0.2:8080", "127.0.0.1.nip.io:8080", "0.0.0.0:8080", "[::ffff:127.0.0.1]:8080",
                "localhost:8080:8080", "localhost:", "localhost:99999", "localhost:0", "user@localhost:8080",
                "localhost:8080/", "-localhost:8080", "local_host:8080", "[::1:8080"})
        void isTheOnlyNameAllowedWithoutTheParameter(String host) {
            assertFalse(allows(none, host));
        }
    }

    @Nested
    class Configured {

        private final AllowedHosts hosts = AllowedHosts.parse(" abc123.ngrok.app , Dev.Example.org:8443,10.0.0.5:8080");

        @ParameterizedTest
        @ValueSource(strings = {"abc123.ngrok.app", "abc123.ngrok.app:443", "ABC123.ngrok.app:8080",
                "dev.example.org:8443", "10.0.0.5:8080", "localhost:8080"})
        void areAllowed(String host) {
            assertTrue(allows(hosts, host));
        }

        @ParameterizedTest
        @ValueSource(strings = {"dev.example.org", "dev.example.org:8080", "10.0.0.5", "x.abc123.ngrok.app",
                "abc123.ngrok.app.evil.example", "evil.example"})
        void areTheOnlyOnes(String host) {
            assertFalse(allows(hosts, host));
        }

        @Test
        void areAllowedWhateverAddressTheRequestCameInOn() {
            assertTrue(hosts.allows("abc123.ngrok.app", false, PORT, 443));
        }
    }

    @Nested
    class Parse {

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "abc.example,        | entry 2 of 2 ''",
                "evil.example/path   | entry 1 of 1 'evil.example/path'",
                "*.example.org       | entry 1 of 1 '*.example.org'",
                "a.example, b c      | entry 2 of 2 'b c'",
                "host:0              | entry 1 of 1 'host:0'",
                "host:65536          | entry 1 of 1 'host:65536'"})
        void refusesWhatIsNotAHostOrHostAndPort(String param, String entry) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AllowedHosts.parse(param));

            assertEquals("allowedHosts " + entry + " is not a host name or host:port, e.g. abc123.ngrok.app or"
                    + " dev.example.org:8443", e.getMessage());
        }

        @Test
        void acceptsTheHighestPort() {
            assertTrue(allows(AllowedHosts.parse("host:65535"), "host:65535"));
            assertTrue(allows(AllowedHosts.parse("host:1"), "host:1"));
        }

        @Test
        void blankIsNone() {
            assertFalse(allows(AllowedHosts.parse("  "), "evil.example"));
        }
    }
}
