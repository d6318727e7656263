package dev.webhookfilter.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.webhookfilter.Vectors;
import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.spring.app.CaseInsensitiveRouting;
import dev.webhookfilter.spring.app.Received;
import dev.webhookfilter.spring.app.WebhookTestApplication;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Real signed requests over loopback HTTP to an application with two endpoints, run once per
 * container by the subclasses. Bodies and signatures come from {@link Vectors} (openssl), sent as
 * they are; the application's clock stands at their {@code t}. The expected SHA-256 of each body is
 * computed here from the bytes sent.
 */
@SpringBootTest(classes = WebhookTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "server.address=127.0.0.1", // loopback only, never every interface
                "PAYMENTS_TEST_SECRET=" + Vectors.SECRET_A,
                "webhooks.endpoints.payments.path-patterns=/webhooks/payments/*",
                "webhooks.endpoints.payments.secrets=${PAYMENTS_TEST_SECRET}",
                "webhooks.endpoints.payments.tolerance=60s",
                "webhooks.endpoints.orders.path-patterns=/webhooks/orders/*",
                "webhooks.endpoints.orders.secrets[0]=" + Vectors.SECRET_B,
                "webhooks.endpoints.orders.header-name=X-Orders-Signature",
                "webhooks.endpoints.orders.max-body-size=64B",
                "webhooks.endpoints.orders.replay-protection=true",
                "webhooks.endpoints.stripe.path-patterns=/webhooks/stripe/*",
                "webhooks.endpoints.stripe.scheme=stripe",
                "webhooks.endpoints.stripe.secrets[0]=" + Vectors.Stripe.SECRET_A,
                "webhooks.endpoints.deliveries.path-patterns=/webhooks/deliveries/*",
                "webhooks.endpoints.deliveries.secrets[0]=" + Vectors.SECRET_A,
                "webhooks.endpoints.deliveries.deduplicate=true",
                "webhooks.endpoints.deliveries.id-header=webhook-id",
        })
abstract class SignedRequestScenarios {

    private static final String JSON = "application/json";
    private static final String OCTETS = "application/octet-stream";
    private static final String FORM = "application/x-www-form-urlencoded";
    /** {@code printf '' | sha256sum}: what a handler that read an empty stream answers. */
    private static final String SHA256_OF_NOTHING = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Value("${local.server.port}")
    int port;

    @Autowired
    Received received;

    Loopback http;

    /** What {@code ServletContext.getServerInfo()} starts with on this subclass's container. */
    abstract String serverInfoPrefix();

    /** The {@link Servers} configuration that chooses this subclass's container. */
    abstract Class<?> server();

    /**
     * The application, with its test secrets, listens on loopback only: connecting to the port through any
     * other address of this machine (traffic that stays on it) must fail. On a machine whose only
     * interface is loopback there is nothing to try.
     */
    @Test
    void listensOnLoopbackOnly() throws IOException {
        List<InetAddress> others = NetworkInterface.networkInterfaces()
                .filter(Loopback::isUpAndNotLoopback)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> !address.isLinkLocalAddress())
                .toList();
        for (InetAddress address : others) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), 2000);
                fail("the test application also listens on " + address.getHostAddress() + ":" + port);
            } catch (ConnectException | NoRouteToHostException | SocketTimeoutException refused) {
                // As it should be: nothing listens there.
            }
        }
    }

    @BeforeEach
    void connect() {
        http = new Loopback(port);
    }

    @Test
    void runsOnTheExpectedContainer() throws Exception {
        Loopback.Answer answer = http.post("/webhooks/payments/bytes", JSON, Vectors.SIMPLE_BODY,
                "X-Webhook-Signature", Vectors.header(Vectors.SIMPLE_A));

        assertThat(answer.field("server")).startsWithIgnoringCase(serverInfoPrefix());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.webhookfilter.Vectors#bodiesUnderSecretA")
    void requestBodyBytes_areExactlyTheSignedBytes(String name, byte[] body, String v1) throws Exception {
        Loopback.Answer answer = http.post("/webhooks/payments/bytes", OCTETS, body,
                "X-Webhook-Signature", Vectors.header(v1));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.field("sha256")).isEqualTo(Loopback.sha256(body));
        assertThat(answer.field("timestamp")).isEqualTo(Long.toString(Vectors.T));
        assertThat(answer.field("secretIndex")).isEqualTo("0");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("textBodies")
    void requestBodyString_isTheSignedText(String name, byte[] body, String v1) throws Exception {
        Loopback.Answer answer = http.post("/webhooks/payments/string", JSON + ";charset=UTF-8", body,
                "X-Webhook-Signature", Vectors.header(v1));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.field("sha256")).isEqualTo(Loopback.sha256(body));
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> textBodies() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("JSON", Vectors.SIMPLE_BODY, Vectors.SIMPLE_A),
                org.junit.jupiter.params.provider.Arguments.of("CRLF", Vectors.CRLF_BODY, Vectors.CRLF_A),
                org.junit.jupiter.params.provider.Arguments.of("multibyte UTF-8", Vectors.UTF8_BODY, Vectors.UTF8_A));
    }

    @Test
    void formPost_parametersAndStreamComeFromTheSignedBytes() throws Exception {
        byte[] body = "name=Zo%C3%AB+%E2%9C%93&note=a%2Bb%26c".getBytes(StandardCharsets.US_ASCII);
        String header = WebhookSigner.of(Vectors.SECRET_A).sign(body, Vectors.T);

        Loopback.Answer answer = http.post("/webhooks/payments/form", FORM, body, "X-Webhook-Signature", header);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.field("name")).isEqualTo("Zoë ✓");
        assertThat(answer.field("note")).isEqualTo("a+b&c");
        assertThat(answer.field("sha256")).isEqualTo(Loopback.sha256(body));
    }

    /**
     * The query string is not signed, and the Servlet order puts its parameters before the body's: a name the URL
     * also carries reaches {@code @RequestParam} from the URL first, as README says ("What your controller sees").
     */
    @Test
    void formPost_aQueryParameterOfTheSameName_comesBeforeTheSignedOne() throws Exception {
        byte[] body = "name=Zo%C3%AB+%E2%9C%93&note=a%2Bb%26c".getBytes(StandardCharsets.US_ASCII);
        String header = WebhookSigner.of(Vectors.SECRET_A).sign(body, Vectors.T);

        Loopback.Answer answer = http.post("/webhooks/payments/form?name=unsigned", FORM, body,
                "X-Webhook-Signature", header);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        // Spring joins a String parameter's values with commas.
        assertThat(answer.field("name")).isEqualTo("unsigned,Zoë ✓");
        assertThat(answer.field("note")).isEqualTo("a+b&c");
        assertThat(answer.field("sha256")).isEqualTo(Loopback.sha256(body));
    }

    /**
     * Spring's multipart resolver (on, as Boot's default, in this application) asks the container for the parts,
     * which it would parse from the stream the filter read to its end. The wrapper refuses instead: the answer is a
     * 500, which the sender retries, never a 200 that skipped the controller (Jetty's answer before) nor a
     * controller run without the parts (Tomcat's).
     */
    @Test
    void multipartPost_isNeverAnsweredAsDoneWithoutItsParts() throws Exception {
        byte[] body = Vectors.ascii("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n");
        String header = WebhookSigner.of(Vectors.SECRET_A).sign(body, Vectors.T);
        int before = received.controllerCalls.get();

        Loopback.Answer answer = http.post("/webhooks/payments/bytes", "multipart/form-data; boundary=b", body,
                "X-Webhook-Signature", header);

        assertThat(answer.status()).as(answer.body()).isEqualTo(500);
        assertThat(received.controllerCalls.get()).isEqualTo(before);
    }

    @Test
    void signerUsedByTheseTests_agreesWithOpenssl() {
        assertThat(WebhookSigner.of(Vectors.SECRET_A).sign(Vectors.SIMPLE_BODY, Vectors.T))
                .isEqualTo(Vectors.header(Vectors.SIMPLE_A));
    }

    @Test
    void badSignature_is401_andTheControllerNeverRuns() throws Exception {
        int before = received.controllerCalls.get();

        Loopback.Answer forged = http.post("/webhooks/payments/bytes", JSON, Vectors.SIMPLE_BODY,
                "X-Webhook-Signature", Vectors.header(Vectors.SIMPLE_B));
        Loopback.Answer unsigned = http.post("/webhooks/payments/bytes", JSON, Vectors.SIMPLE_BODY);
        Loopback.Answer edited = http.post("/webhooks/payments/bytes", JSON, Vectors.ascii("{\"a\":2}"),
                "X-Webhook-Signature", Vectors.header(Vectors.SIMPLE_A));

        assertThat(forged.status()).isEqualTo(401);
        assertThat(unsigned.status()).isEqualTo(401);
        assertThat(edited.status()).isEqualTo(401);
        assertThat(received.controllerCalls.get()).isEqualTo(before);
    }

    @Test
    void eachEndpoint_acceptsOnlyItsOwnSecret() throws Exception {
        byte[] body = Vectors.SIMPLE_BODY;
        String signedA = WebhookSigner.of(Vectors.SECRET_A).sign(body, Vectors.T);
        String signedB = WebhookSigner.of(Vectors.SECRET_B).sign(body, Vectors.T + 1);

        assertThat(http.post("/webhooks/payments/bytes", JSON, body, "X-Webhook-Signature", signedA).status())
                .isEqualTo(200);
        assertThat(http.post("/webhooks/payments/bytes", JSON, body, "X-Webhook-Signature", signedB).status())
                .isEqualTo(401);
        assertThat(http.post("/webhooks/orders/bytes", JSON, body, "X-Orders-Signature", signedA).status())
                .isEqualTo(401);
        Loopback.Answer orders = http.post("/webhooks/orders/bytes", JSON, body, "X-Orders-Signature", signedB);
        assertThat(orders.status()).as(orders.body()).isEqualTo(200);
        assertThat(orders.field("endpoint")).isEqualTo("orders");
        assertThat(orders.field("timestamp")).isEqualTo(Long.toString(Vectors.T + 1));
    }

    @Test
    void endpointSettings_headerNameToleranceBodyLimitAndReplay_apply() throws Exception {
        byte[] body = Vectors.ascii("{\"order\":42}");
        WebhookSigner orders = WebhookSigner.of(Vectors.SECRET_B);
        String fresh = orders.sign(body, Vectors.T - 5);

        // header-name: the orders endpoint reads its own header only
        assertThat(http.post("/webhooks/orders/bytes", JSON, body, "X-Webhook-Signature", fresh).status())
                .isEqualTo(401);
        // replay-protection: the second delivery of the same signed request is refused
        assertThat(http.post("/webhooks/orders/bytes", JSON, body, "X-Orders-Signature", fresh).status())
                .isEqualTo(200);
        assertThat(http.post("/webhooks/orders/bytes", JSON, body, "X-Orders-Signature", fresh).status())
                .isEqualTo(401);
        // max-body-size 64B
        byte[] large = new byte[65];
        assertThat(http.post("/webhooks/orders/bytes", OCTETS, large, "X-Orders-Signature",
                orders.sign(large, Vectors.T)).status()).isEqualTo(413);
        // tolerance 60s on payments: 60 s old verifies, 61 s does not
        WebhookSigner payments = WebhookSigner.of(Vectors.SECRET_A);
        assertThat(http.post("/webhooks/payments/bytes", JSON, body, "X-Webhook-Signature",
                payments.sign(body, Vectors.T - 60)).status()).isEqualTo(200);
        assertThat(http.post("/webhooks/payments/bytes", JSON, body, "X-Webhook-Signature",
                payments.sign(body, Vectors.T - 61)).status()).isEqualTo(401);
    }

    /**
     * A controller mapped without a method runs for a signed copy sent as PUT, GET or a lower-case "post" too. With
     * replay protection, such a copy was forgotten once answered: sent again and again, it ran the controller each time,
     * and the sender's POST once more (Boot 3.5 on Tomcat and Jetty: "[PUT 200, PUT 200, GET 200, post 400, POST 200]",
     * the controller run 4 times). Now each copy is refused with 405 and the POST runs it once.
     */
    @Test
    void replayProtection_aSignedCopySentWithAnotherMethod_neverRunsTheControllerASecondTime() throws Exception {
        byte[] body = Vectors.ascii("{\"order\":\"" + getClass().getSimpleName() + "\"}");
        String signature = WebhookSigner.of(Vectors.SECRET_B).sign(body, Vectors.T - 7);
        int before = received.controllerCalls.get();

        List<String> statuses = new java.util.ArrayList<>();
        for (String method : List.of("PUT", "PUT", "GET", "post", "POST")) {
            Loopback.Answer answer = http.send(method, "/webhooks/orders/any", JSON, body,
                    "X-Orders-Signature", signature);
            statuses.add(method + " " + answer.status());
        }

        assertThat(received.controllerCalls.get() - before).as("controller runs for one signed message: " + statuses)
                .isEqualTo(1);
    }

    /**
     * A controller that answers 200 in full and then throws: the sender gets the 200 that the filter judged, and its
     * retry under the same id is a duplicate, on Tomcat 10.1 (Boot 3.5) as on Tomcat 11 and Jetty 12.
     */
    @Test
    void deduplicate_aControllerThatThrowsAfterAnswering200_marksTheIdDone_andTheSenderGets200() throws Exception {
        String id = "msg_throws_" + getClass().getSimpleName();
        int before = received.controllerCalls.get();

        Loopback.Answer first = http.post("/webhooks/deliveries/throws-after-answering", JSON, Vectors.SIMPLE_BODY,
                "X-Webhook-Signature", Vectors.header(Vectors.SIMPLE_A), "webhook-id", id);
        Loopback.Answer retry = http.post("/webhooks/deliveries/throws-after-answering", JSON, Vectors.SIMPLE_BODY,
                "X-Webhook-Signature", Vectors.header(Vectors.SIMPLE_A), "webhook-id", id);

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        assertThat(retry.header("Webhook-Duplicate")).isEqualTo("true");
        assertThat(received.controllerCalls.get() - before).isEqualTo(1);
    }

    @Test
    void schemeStripe_acceptsARequestSignedAsStripeSigns_inItsOwnHeader() throws Exception {
        // Vectors.Stripe.SIMPLE_A: printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_stripe_test_secret_A_0001 -r
        String stripeSignature = "t=" + Vectors.T + ",v1=" + Vectors.Stripe.SIMPLE_A;

        Loopback.Answer answer = http.post("/webhooks/stripe/bytes", JSON, Vectors.SIMPLE_BODY,
                "Stripe-Signature", stripeSignature);
        Loopback.Answer inTheDefaultHeader = http.post("/webhooks/stripe/bytes", JSON, Vectors.SIMPLE_BODY,
                "X-Webhook-Signature", stripeSignature);
        Loopback.Answer signedTheDefaultWay = http.post("/webhooks/stripe/bytes", JSON, Vectors.SIMPLE_BODY,
                "Stripe-Signature", Vectors.header(Vectors.SIMPLE_A));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.field("endpoint")).isEqualTo("stripe");
        assertThat(answer.field("sha256")).isEqualTo(Loopback.sha256(Vectors.SIMPLE_BODY));
        assertThat(answer.field("timestamp")).isEqualTo(Long.toString(Vectors.T));
        assertThat(inTheDefaultHeader.status()).isEqualTo(401);
        assertThat(inTheDefaultHeader.header("WWW-Authenticate")).isEqualTo("Webhook-Signature header=\"Stripe-Signature\"");
        assertThat(signedTheDefaultWay.status()).isEqualTo(401);
    }

    @Test
    void deduplicate_answersTheSecondDeliveryOfAnId_withoutCallingTheController() throws Exception {
        String id = "msg_" + getClass().getSimpleName();
        int before = received.controllerCalls.get();

        Loopback.Answer first = http.post("/webhooks/deliveries/bytes", JSON, Vectors.SIMPLE_BODY,
                "X-Webhook-Signature", Vectors.header(Vectors.SIMPLE_A), "webhook-id", id);
        Loopback.Answer second = http.post("/webhooks/deliveries/bytes", JSON, Vectors.SIMPLE_BODY,
                "X-Webhook-Signature", Vectors.header(Vectors.SIMPLE_A), "webhook-id", id);
        Loopback.Answer withoutId = http.post("/webhooks/deliveries/bytes", JSON, Vectors.SIMPLE_BODY,
                "X-Webhook-Signature", Vectors.header(Vectors.SIMPLE_A));

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.field("endpoint")).isEqualTo("deliveries");
        assertThat(first.header("Webhook-Duplicate")).isNull();
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        assertThat(second.header("Webhook-Duplicate")).isEqualTo("true");
        assertThat(second.body()).isEqualTo("webhook duplicate: processed before\n");
        assertThat(withoutId.status()).isEqualTo(400);
        assertThat(received.controllerCalls.get()).isEqualTo(before + 1);
    }

    @Test
    void springSecurity_guardsTheOtherPaths_whileTheSignatureGuardsTheWebhooks() throws Exception {
        Loopback.Answer other = http.post("/not-a-webhook", JSON, Vectors.SIMPLE_BODY);
        Loopback.Answer unsigned = http.post("/webhooks/payments/bytes", JSON, Vectors.SIMPLE_BODY);

        // A POST without a CSRF token: Spring Security's 403.
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.body()).doesNotContain("webhook rejected");
        assertThat(unsigned.status()).isEqualTo(401);
        assertThat(unsigned.body()).isEqualTo("webhook rejected: missing signature header\n");
    }

    @Test
    void webhookFilter_runsBeforeAFilterThatReadsTheBodyAtSpringSecuritysOrder() throws Exception {
        Loopback.Answer answer = http.post("/webhooks/payments/logged", JSON, Vectors.UTF8_BODY,
                "X-Webhook-Signature", Vectors.header(Vectors.UTF8_A));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.field("sha256")).isEqualTo(Loopback.sha256(Vectors.UTF8_BODY));
    }

    /**
     * The container matches filter mappings case-sensitively, while Spring MVC set to match paths without regard to
     * case routes /WEBHOOKS/payments/bytes, /%57EBHOOKS/... and /webhooK/... (the Kelvin sign U+212A, which Spring
     * folds to k) to the controller, and no filter of /webhooks/payments/* runs. The application is this class's
     * with Spring Security, on this subclass's container; it permits /webhooks/** as README advises.
     */
    @Test
    void aPathThatDiffersFromAnEndpointsPatternInCaseOnly_gets400_andTheControllerNeverRuns() throws Exception {
        SpringApplication application = new SpringApplication(WebhookTestApplication.class, server());
        application.setDefaultProperties(Map.of("server.port", "0", "server.address", "127.0.0.1",
                "webhooks.endpoints.payments.path-patterns", "/webhooks/payments/*",
                "webhooks.endpoints.payments.secrets[0]", Vectors.SECRET_A));
        application.addInitializers(context -> ((GenericApplicationContext) context).registerBean(
                "caseInsensitiveRouting", WebMvcConfigurer.class, () -> new CaseInsensitiveRouting(false)));

        try (ConfigurableApplicationContext started = application.run()) {
            Received calls = started.getBean(Received.class);
            Loopback app = new Loopback(Integer.parseInt(started.getEnvironment().getProperty("local.server.port")));

            Loopback.Answer signed = app.post("/webhooks/payments/bytes", JSON, Vectors.SIMPLE_BODY,
                    "X-Webhook-Signature", Vectors.header(Vectors.SIMPLE_A));
            assertThat(signed.status()).as(signed.body()).isEqualTo(200);
            for (String path : List.of("/WEBHOOKS/payments/bytes", "/webhooks/PAYMENTS/bytes",
                    "/%57EBHOOKS/payments/bytes", "/webhoo%E2%84%AAs/payments/bytes")) {
                Loopback.Answer unsigned = app.post(path, JSON, Vectors.SIMPLE_BODY);

                assertThat(unsigned.status()).as(path + ": " + unsigned.body()).isEqualTo(400);
                assertThat(unsigned.body()).isEqualTo("webhook rejected: ambiguous path\n");
            }
            assertThat(calls.controllerCalls.get()).as("controller calls").isEqualTo(1);
        }
    }

    /**
     * A controller that throws, or refuses with a {@code ResponseStatusException}, before answering: Spring's error
     * page answers 500 or the exception's status without its message, and the de-duplication claim is released, so
     * the sender's retry under the same id runs the controller again.
     */
    @Test
    void deduplicate_aControllerThatFailsBeforeAnswering_releasesTheId_andSpringsErrorPageShowsNoDetail()
            throws Exception {
        String id = "msg_fails_" + getClass().getSimpleName();
        int before = received.controllerCalls.get();

        List<Loopback.Answer> answers = new java.util.ArrayList<>();
        for (String path : List.of("fails", "fails", "conflict", "conflict")) {
            answers.add(http.post("/webhooks/deliveries/" + path, JSON, Vectors.SIMPLE_BODY,
                    "X-Webhook-Signature", Vectors.header(Vectors.SIMPLE_A), "webhook-id", id + path));
        }

        assertThat(answers).extracting(Loopback.Answer::status).containsExactly(500, 500, 409, 409);
        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.header("Webhook-Duplicate")).isNull();
            assertThat(answer.body()).doesNotContain("internal").doesNotContain("Exception");
        });
        assertThat(received.controllerCalls.get() - before).isEqualTo(4);
    }

    /**
     * Spring's {@code HiddenHttpMethodFilter} (off unless {@code spring.mvc.hiddenmethod.filter.enabled}) runs after
     * the webhook filter and turns a verified POST into the PUT, DELETE or PATCH its {@code _method} parameter names,
     * which may come from the query string that nobody signed: a copy of a signed POST with {@code ?_method=DELETE}
     * runs the application's DELETE handler, and a form's parameters reach it twice. With
     * {@code query-string: reject} such a copy gets 400 and runs nothing; a {@code _method} in the signed form body
     * is the sender's own, runs its handler once and, with replay protection, is recorded as the POST it was sent as.
     */
    @Test
    void hiddenHttpMethodFilter_takesTheMethodFromTheUnsignedQuery_unlessQueryStringsAreRefused() throws Exception {
        byte[] json = Vectors.SIMPLE_BODY;
        String jsonSignature = Vectors.header(Vectors.SIMPLE_A);
        byte[] form = Vectors.ascii("_method=DELETE&name=n&note=m");
        String formSignature = WebhookSigner.of(Vectors.SECRET_A).sign(form, Vectors.T);

        try (ConfigurableApplicationContext started = run(Map.of("spring.mvc.hiddenmethod.filter.enabled", "true",
                "webhooks.endpoints.open.path-patterns", "/webhooks/open/*",
                "webhooks.endpoints.open.secrets[0]", Vectors.SECRET_A,
                "webhooks.endpoints.strict.path-patterns", "/webhooks/strict/*",
                "webhooks.endpoints.strict.secrets[0]", Vectors.SECRET_A,
                "webhooks.endpoints.strict.query-string", "reject",
                "webhooks.endpoints.strict.replay-protection", "true"))) {
            Received calls = started.getBean(Received.class);
            Loopback app = new Loopback(Integer.parseInt(started.getEnvironment().getProperty("local.server.port")));

            Loopback.Answer open = app.post("/webhooks/open/any?_method=DELETE", JSON, json,
                    "X-Webhook-Signature", jsonSignature);
            assertThat(open.status()).as(open.body()).isEqualTo(200);
            assertThat(open.field("method")).isEqualTo("DELETE");
            Loopback.Answer openForm = app.post("/webhooks/open/anyform?_method=PUT", FORM, form,
                    "X-Webhook-Signature", formSignature);
            assertThat(openForm.status()).as(openForm.body()).isEqualTo(200);
            assertThat(openForm.field("method")).isEqualTo("PUT");
            // Spring's FormContentFilter decodes the body again for a PUT, and adds its pairs to the filter's, reading the
            // stream to its end.
            assertThat(openForm.field("name")).isEqualTo("n,n");
            assertThat(openForm.field("sha256")).isEqualTo(SHA256_OF_NOTHING);

            int before = calls.controllerCalls.get();
            Loopback.Answer strict = app.post("/webhooks/strict/any?_method=DELETE", JSON, json,
                    "X-Webhook-Signature", jsonSignature);
            assertThat(strict.status()).as(strict.body()).isEqualTo(400);
            assertThat(strict.body()).isEqualTo("webhook rejected: query string not allowed\n");
            assertThat(calls.controllerCalls.get()).isEqualTo(before);

            Loopback.Answer signedMethod = app.post("/webhooks/strict/anyform", FORM, form,
                    "X-Webhook-Signature", formSignature);
            Loopback.Answer again = app.post("/webhooks/strict/anyform", FORM, form,
                    "X-Webhook-Signature", formSignature);
            assertThat(signedMethod.status()).as(signedMethod.body()).isEqualTo(200);
            assertThat(signedMethod.field("method")).isEqualTo("DELETE");
            assertThat(signedMethod.field("name")).isEqualTo("n");
            assertThat(signedMethod.field("note")).isEqualTo("m");
            assertThat(again.status()).as(again.body()).isEqualTo(401);
            assertThat(again.body()).isEqualTo("webhook rejected: replayed\n");
            assertThat(calls.controllerCalls.get()).isEqualTo(before + 1);
        }
    }

    /**
     * A signed form sent as PUT, PATCH or DELETE reaches the controller where neither replay protection nor de-duplication is on (with
     * either, it gets 405). Spring's {@code FormContentFilter}, which runs after the webhook filter, decodes the body of
     * a PUT, PATCH or DELETE form into parameters and reads the stream to its end doing so: the handler gets the
     * parameters, and nothing from {@code getInputStream()}.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PUT", "PATCH", "DELETE"})
    void aSignedFormSentAsPutPatchOrDelete_givesTheHandlerItsParameters_andAnEmptyStream(String method)
            throws Exception {
        byte[] form = Vectors.ascii("name=n&note=m");
        String signature = WebhookSigner.of(Vectors.SECRET_A).sign(form, Vectors.T);

        Loopback.Answer answer = http.send(method, "/webhooks/payments/anyform", FORM, form,
                "X-Webhook-Signature", signature);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.field("method")).isEqualTo(method);
        assertThat(answer.field("name")).isEqualTo("n");
        assertThat(answer.field("note")).isEqualTo("m");
        assertThat(answer.field("sha256")).isEqualTo(SHA256_OF_NOTHING);
    }

    /**
     * Jetty 12.1 (Spring Boot 4.0's) compares a form post's {@code Content-Length} with its own form limit
     * ({@code maxFormContentSize}, 200000 bytes unless set) when the application asks for a parameter, though the
     * filter has read the body and Jetty parses nothing of it: a longer signed form got 400 there, and ran no
     * controller, while Tomcat and Jetty 12.0 gave it the parameters. Raising that limit to the endpoint's
     * {@code max-body-size}, as README says ({@code server.jetty.max-http-form-post-size}), gives them on every
     * container.
     */
    @Test
    void aSignedFormLongerThanJettysFormLimit_reachesTheControllerOnceThatLimitIsRaised() throws Exception {
        byte[] form = Vectors.ascii("name=n&note=" + "x".repeat(250_000));
        String signature = WebhookSigner.of(Vectors.SECRET_A).sign(form, Vectors.T);
        String serverInfo = http.post("/webhooks/payments/bytes", JSON, Vectors.SIMPLE_BODY,
                "X-Webhook-Signature", Vectors.header(Vectors.SIMPLE_A)).field("server");
        int before = received.controllerCalls.get();

        Loopback.Answer byDefault = http.post("/webhooks/payments/form", FORM, form, "X-Webhook-Signature", signature);

        if (serverInfo.startsWith("jetty/12.1")) {
            assertThat(byDefault.status()).as(byDefault.body()).isEqualTo(400);
            assertThat(received.controllerCalls.get()).isEqualTo(before);
        } else {
            assertThat(byDefault.status()).as(byDefault.body()).isEqualTo(200);
            assertThat(byDefault.field("sha256")).isEqualTo(Loopback.sha256(form));
        }
        try (ConfigurableApplicationContext started = run(Map.of("server.jetty.max-http-form-post-size", "1MB",
                "webhooks.endpoints.payments.path-patterns", "/webhooks/payments/*",
                "webhooks.endpoints.payments.secrets[0]", Vectors.SECRET_A))) {
            Loopback app = new Loopback(Integer.parseInt(started.getEnvironment().getProperty("local.server.port")));

            Loopback.Answer raised = app.post("/webhooks/payments/form", FORM, form, "X-Webhook-Signature", signature);

            assertThat(raised.status()).as(raised.body()).isEqualTo(200);
            assertThat(raised.field("name")).isEqualTo("n");
            assertThat(raised.field("note")).hasSize(250_000);
            assertThat(raised.field("sha256")).isEqualTo(Loopback.sha256(form));
        }
    }

    /** The test application on this subclass's container, on a port of its own, with {@code properties}. */
    private ConfigurableApplicationContext run(Map<String, ?> properties) {
        SpringApplication application = new SpringApplication(WebhookTestApplication.class, server());
        Map<String, Object> all = new java.util.HashMap<>(properties);
        all.put("server.port", "0");
        all.put("server.address", "127.0.0.1");
        application.setDefaultProperties(all);
        return application.run();
    }

    @Test
    void aVerifiedRequestTheControllerRefuses_getsSpringsAnswer_notSpringSecurity401() throws Exception {
        // Signed and verified; the controller's @RequestBody String is required, so Spring answers 400.
        byte[] empty = new byte[0];
        Loopback.Answer answer = http.post("/webhooks/payments/string", JSON, empty,
                "X-Webhook-Signature", WebhookSigner.of(Vectors.SECRET_A).sign(empty, Vectors.T));

        assertThat(answer.header("WWW-Authenticate")).as(answer.body()).isNull();
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    }
}
