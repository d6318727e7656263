package dev.webhookfilter.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.testing.RequiredCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Opens the example's page in headless Chromium, presses its buttons and waits for the lists to
 * change. Runs the WAR that {@code mvn package} built, in embedded Jetty on a free loopback port,
 * with the secret failsafe puts in {@code WEBHOOK_SECRET}.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver} (or {@code -Dexample.chromium} and
 * {@code -Dwebdriver.chrome.driver} naming others). Without them the test is skipped,
 * unless {@value #REQUIRE_BROWSER}=1, as in CI, makes their absence a failure.
 */
class ExamplePageIT {

    static final String REQUIRE_BROWSER = "WEBHOOK_FILTER_REQUIRE_BROWSER";
    /** Debian's; the system properties point elsewhere, or at nothing to see the skip. */
    private static final Path CHROMIUM = Path.of(System.getProperty("example.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver"));
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    private static Server server;
    private static WebDriver browser;
    private static String page;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String missing = "The browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
                    + " (apt-get install chromium chromium-driver)";
            RequiredCommands.unavailable(REQUIRE_BROWSER, missing);
        }
        server = ExampleServer.start(Path.of(System.getProperty("example.war", "target/example-war.war")), 0);
        page = "http://127.0.0.1:" + ExampleServer.port(server) + "/";

        // The system's chromedriver and Chromium, so that Selenium Manager never downloads a browser.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: CI runs as root. The rest keep Chromium from reaching for the network this machine lacks.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-extensions");
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.stop();
        }
    }

    @BeforeEach
    void openThePage() {
        browser.get(page);
        assertEquals("webhook-filter example", browser.getTitle());
    }

    @Test
    void sendTestEvent_addsTheEventAtTheTopOfTheList_verified() {
        int before = eventRows().size();

        browser.findElement(By.id("send-test")).click();

        String eventId = awaitResult("verified");
        assertTrue(eventId.matches("whevt-[0-9a-f]{16}"), eventId);
        waitUntil("a row for " + eventId, () -> eventRows().size() == before + 1);
        WebElement newest = eventRows().get(0);
        assertEquals(eventId, newest.getAttribute("data-event-id"));
        List<WebElement> cells = newest.findElements(By.tagName("td"));
        assertEquals(eventId, cells.get(1).getText());
        assertEquals("webhooks.test", cells.get(2).getText());
        assertEquals("verified", cells.get(4).getText());
        assertSecretNotShown();
    }

    @Test
    void sendForgedEvent_addsARejectionWithItsReason_andNoEvent() {
        int eventsBefore = eventRows().size();
        int rejectionsBefore = rejectionRows().size();

        browser.findElement(By.id("send-forged")).click();

        String eventId = awaitResult("rejected");
        waitUntil("a rejection row", () -> rejectionRows().size() == rejectionsBefore + 1);
        WebElement newest = rejectionRows().get(0);
        assertEquals("NO_MATCHING_SIGNATURE", newest.getAttribute("data-reason"));
        List<WebElement> cells = newest.findElements(By.tagName("td"));
        assertEquals("POST", cells.get(1).getText());
        assertEquals("/webhooks/test", cells.get(2).getText());
        assertEquals("401 NO_MATCHING_SIGNATURE: no matching signature", cells.get(3).getText());
        assertEquals(eventsBefore, eventRows().size());
        assertTrue(browser.findElements(By.cssSelector("tr.event[data-event-id='" + eventId + "']")).isEmpty());
        assertSecretNotShown();
    }

    /** Waits for the page to report the send, and returns the event id the server answered with. */
    private static String awaitResult(String outcome) {
        waitUntil("the page to say the event was " + outcome,
                () -> browser.findElement(By.id("result")).getText().endsWith(", " + outcome));
        String text = browser.findElement(By.id("result")).getText();
        String eventId = browser.findElement(By.id("result")).getAttribute("data-event-id");
        assertTrue(text.startsWith("Sent " + eventId + ": HTTP "), text);
        return eventId;
    }

    private static List<WebElement> eventRows() {
        return browser.findElements(By.cssSelector("#events tr.event"));
    }

    private static List<WebElement> rejectionRows() {
        return browser.findElements(By.cssSelector("#rejections tr.rejection"));
    }

    private static void assertSecretNotShown() {
        String secret = System.getenv("WEBHOOK_SECRET");
        assertTrue(secret != null && !secret.isEmpty(), "failsafe sets WEBHOOK_SECRET");
        assertFalse(browser.getPageSource().contains(secret));
    }

    private static void waitUntil(String what, BooleanSupplier condition) {
        new WebDriverWait(browser, PATIENCE).withMessage("waiting for " + what).until(driver -> condition.getAsBoolean());
    }
}
