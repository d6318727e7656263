package dev.webhookfilter.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Anchors the oracle itself to outside tools, so the fuzz and property tests judge against the real scheme. */
class ReferenceTest {

    // printf '%s' '{"id":1}1700000000' | openssl dgst -sha256 -hmac 'sécret-🔑' -binary | base64
    // (the same from python3 hmac.new('sécret-🔑'.encode(), b'{"id":1}1700000000', hashlib.sha256))
    private static final String NON_ASCII_SECRET_V1 = "Hje1n2uY+ZGN01JiM2487cAus0N/eZMHe15FUqW3ilc=";
    // printf '\000\377,t=9' | openssl dgst -sha256 -hmac 'whsec_test' -binary | base64
    private static final String BINARY_BODY_V1 = "sX10NkDiujRxmFe+wQaQA8/g9729YE4IXRRu/g0pMzU=";

    @Test
    void hmacKeysWithTheSecretsUtf8AndAppendsT() {
        assertEquals("t=1700000000,v1=" + NON_ASCII_SECRET_V1,
                Reference.header(List.of("sécret-🔑"), "{\"id\":1}".getBytes(StandardCharsets.UTF_8), 1700000000L));
    }

    @Test
    void hmacTakesTheBodyAsRawBytes() {
        assertEquals(BINARY_BODY_V1, Reference.v1("whsec_test", new byte[] {0, (byte) 0xff, ',', 't', '='}, "9"));
    }

    @Test
    void parseAcceptsBlanksEmptyElementsAndUnknownSchemes() {
        Reference.Header header = Reference.parse(" t=9 ,,\tv0=x, v1=" + BINARY_BODY_V1 + "\t");
        assertNotNull(header);
        assertEquals("9", header.timestampText());
        assertEquals(1, header.signatures().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "t=09,v1=" + BINARY_BODY_V1,
        "t=9223372036854775808,v1=" + BINARY_BODY_V1,
        "t=9,v1=" + BINARY_BODY_V1 + ",t=9",
        "t=9",
        "t=9,v1=sX10NkDiujRxmFe+wQaQA8/g9729YE4IXRRu/g0pMzV=",
        "t=9,v1=" + BINARY_BODY_V1 + ",junk",
        "t=9,v1=" + BINARY_BODY_V1 + "\u007f",
    })
    void parseRejectsWhatTheGrammarForbids(String header) {
        assertNull(Reference.parse(header));
    }
}
