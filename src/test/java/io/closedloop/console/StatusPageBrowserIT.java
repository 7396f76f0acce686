package io.closedloop.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.ops.OpsView;
import io.closedloop.state.ParkedRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page in headless Chromium (Debian's chromium and chromium-driver, which .ci/run installs) against the
 * sandbox world: every flow shows, a parked record shows its reason, and Replay after the fix resolves it, the record written once.
 */
class StatusPageBrowserIT {
    private static final Path CHROMIUM = Path.of(System.getProperty("closedloop.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("closedloop.chromedriver", "/usr/bin/chromedriver"));

    @TempDir
    Path dir;

    private ConsoleWorld sandbox;
    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void start() throws Exception {
        assertThat(CHROMIUM).as("chromium (apt-get install chromium chromium-driver; .ci/run does)").isExecutable();
        assertThat(CHROMEDRIVER).as("chromedriver (apt-get install chromium-driver)").isExecutable();
        sandbox = new ConsoleWorld(dir, Clock.systemUTC());
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1600");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + sandbox.port() + path;
    }

    private void screenshot(String name) throws Exception {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Calls that can write to Salesforce: Composite, sObject Collections and single sObject writes. */
    private long writes() {
        var journal = sandbox.emulators.salesforce.journal();
        return List.of("salesforce.composite", "salesforce.collections.create", "salesforce.collections.update",
                "salesforce.collections.upsert", "salesforce.sobject.create", "salesforce.sobject.update", "salesforce.sobject.upsert")
                .stream().mapToLong(journal::count).sum();
    }

    @Test
    void thePageShowsEveryFlowAndAParkedReasonAndReplayAfterTheFixResolvesItWithOneWrite() throws Exception {
        browser.get(url("/"));
        List<String> flows = OpsView.flows().stream().map(f -> f.key()).toList();
        wait.until(d -> d.findElements(By.cssSelector("#flows tbody tr")).size() == flows.size());
        for (String flow : flows) {
            WebElement row = browser.findElement(By.cssSelector("#flows tbody tr[data-flow='" + flow + "']"));
            assertThat(row.getText()).startsWith(flow);
        }
        assertThat(browser.findElement(By.cssSelector("#flows tbody tr[data-flow='" + ConsoleWorld.FLOW + "']")).getAttribute("data-state"))
                .isEqualTo("off"); // the sandbox daemon's triggers are off: the test polls
        // read-only without the token: counts, no records, no replay
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("parked-groups"), ConsoleWorld.PICKLIST));
        assertThat(browser.findElement(By.id("parked-detail")).isDisplayed()).isFalse();
        assertThat(browser.findElements(By.cssSelector("button.replay-group"))).allSatisfy(b -> assertThat(b.isDisplayed()).isFalse());

        browser.get(url("/observe/login"));
        browser.findElement(By.id("token")).sendKeys(ConsoleWorld.TOKEN);
        browser.findElement(By.id("login")).click();
        wait.until(ExpectedConditions.urlToBe(url("/")));
        By record = By.cssSelector("#parked-records tbody tr[data-id='" + sandbox.parked.id() + "']");
        wait.until(ExpectedConditions.visibilityOfElementLocated(record));
        assertThat(browser.findElement(record).findElement(By.className("reason")).getText())
                .contains(ConsoleWorld.PICKLIST, "bad value for restricted picklist field: Email Bounce");
        assertThat(browser.getPageSource()).doesNotContain(sandbox.world.people().get(0).email());
        screenshot("status-page.png");

        sandbox.fixTheOrg();
        long writesBefore = writes();
        int callsBefore = sandbox.emulators.salesforce.journal().calls().size();
        browser.findElement(By.cssSelector("button.replay-one[data-id='" + sandbox.parked.id() + "']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#parked-records tbody tr[data-id='"
                + sandbox.parked.id() + "'] .status"), "resolved"));
        assertThat(browser.findElement(By.id("replay-result")).getText()).contains("1 resolved");
        screenshot("status-page-replayed.png");

        assertThat(sandbox.activities(sandbox.bounce)).isEqualTo(1);
        // the record was written once; the write path's two Composite calls are the activity and the contact's summary fields
        assertThat(writes() - writesBefore).isEqualTo(2);
        assertThat(sandbox.emulators.salesforce.journal().calls().subList(callsBefore, sandbox.emulators.salesforce.journal().calls().size()))
                .extracting(c -> c.endpoint()).containsExactly("salesforce.composite", "salesforce.composite");
        assertThat(sandbox.runtime.store().parked().byId(sandbox.parked.id()).orElseThrow().status())
                .isEqualTo(ParkedRecords.Status.RESOLVED);
    }
}
