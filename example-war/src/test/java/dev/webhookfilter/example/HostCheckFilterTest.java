package dev.webhookfilter.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the filter does on its own; HostCheckIT runs it in the built WAR, SendTestEventServletTest in front of the button. */
class HostCheckFilterTest {

    @Test
    void init_fails_namingTheEntry_whenAllowedHostsIsMalformed() {
        FilterConfig config = mock(FilterConfig.class);
        when(config.getFilterName()).thenReturn("hostCheck");
        when(config.getInitParameter("allowedHosts")).thenReturn("dev.example.org, evil.example/path");

        ServletException e = assertThrows(ServletException.class, () -> new HostCheckFilter().init(config));

        assertEquals("hostCheck: allowedHosts entry 2 of 2 'evil.example/path' is not a host name or host:port,"
                + " e.g. abc123.ngrok.app or dev.example.org:8443", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "0:0:0:0:0:0:0:1"})
    void loopbackAddresses_areRecognised(String address) {
        assertTrue(HostCheckFilter.isLoopback(address));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"10.0.0.1", "::2", "[::2]", "localhost", "abc", "[::1", "1.2.3"})
    void otherAddresses_areNot(String address) {
        assertFalse(HostCheckFilter.isLoopback(address));
    }
}
