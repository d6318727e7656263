package dev.webhookfilter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.webhookfilter.Scheme;
import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.it.OpensslVectors.SchemeVector;
import dev.webhookfilter.it.OpensslVectors.Vector;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The signers the scenarios use agree with the vectors openssl computed once, for every scheme they send. */
class OpensslVectorsTest {

    static Stream<Vector> vectors() {
        return Stream.of(OpensslVectors.JSON, OpensslVectors.BINARY);
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void librarySignerReproducesOpensslVector(Vector vector) {
        assertEquals(vector.header(), WebhookSigner.of(OpensslVectors.SECRET).sign(vector.body(), vector.t()));
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void jdkMacOfForgeriesReproducesOpensslVector(Vector vector) {
        assertEquals(vector.v1(), Forgery.hmacBase64(OpensslVectors.SECRET, vector.body(), Long.toString(vector.t())));
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void liveOpensslReproducesItsOwnVector(Vector vector) throws Exception {
        OpenSsl.require();
        assertEquals(vector.header(), OpenSsl.sign(OpensslVectors.SECRET, vector.body(), vector.t()));
    }

    static Stream<SchemeVector> schemeVectors() {
        return OpensslVectors.SCHEMES.stream();
    }

    @ParameterizedTest
    @MethodSource("schemeVectors")
    void librarySignerMakesTheHeadersOfSchemeVector(SchemeVector vector) {
        WebhookSigner signer = WebhookSigner.of(Scheme.named(vector.sender().scheme()), vector.secret());
        assertEquals(caseInsensitive(vector.headers()),
                caseInsensitive(signer.headers(vector.body(), SchemeVector.T, SchemeVector.ID)));
    }

    @ParameterizedTest
    @MethodSource("schemeVectors")
    void liveOpensslReproducesSchemeVector(SchemeVector vector) throws Exception {
        OpenSsl.require();
        String mac = vector.sender().mac(vector.secret(), SchemeVector.ID, SchemeVector.T, vector.body());
        assertEquals(vector.mac(), mac);
    }

    /** The scenarios drop and repeat each of these headers: they must be every one the scheme reads. */
    @ParameterizedTest
    @MethodSource("schemeVectors")
    void senderNamesEveryHeaderItsSchemeReadsAndNoOther(SchemeVector vector) {
        Scheme scheme = Scheme.named(vector.sender().scheme());
        // The scheme reads the sender's names, and the names they fall back to: svix's unbranded webhook-* names,
        // shopify's newer shopify-hmac-sha256.
        Set<String> read = caseInsensitive(vector.sender().headerNames());
        read.addAll(SchemeSender.unbranded(vector.headers()).keySet());
        if (scheme.name().equals("shopify")) {
            read.add("shopify-hmac-sha256");
        }
        assertEquals(caseInsensitive(scheme.headerNames()), read);
        assertEquals(caseInsensitive(vector.sender().headerNames()), caseInsensitive(vector.headers().keySet()));
        assertEquals(scheme.hasTimestamp(), vector.sender().timestamped());
    }

    private static Set<String> caseInsensitive(Collection<String> names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(names);
        return set;
    }

    private static Map<String, String> caseInsensitive(Map<String, String> headers) {
        Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        map.putAll(headers);
        return map;
    }
}
