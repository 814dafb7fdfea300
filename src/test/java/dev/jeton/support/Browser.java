package dev.jeton.support;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Path;

/** Debian's headless Chromium under Selenium, installed on first use; no browser download. */
public final class Browser {
    private Browser() {
    }

    public static ChromeDriver start(Path profile) {
        Packages.require("/usr/bin/chromium", "chromium", "/usr/bin/chromedriver", "chromium-driver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        // Without the background-networking flags Chromium keeps dialling out, which this machine refuses.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1000,800", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        // A click returns before the next page has loaded: lookups wait for their element, bounded.
        driver.manage().timeouts().implicitlyWait(java.time.Duration.ofSeconds(10));
        return driver;
    }

    /**
     * Waits for the page a click led to: WebDriver's click may return before the navigation it
     * starts, and reading the title does not wait the way element lookups do. Polled, bounded.
     */
    public static void awaitTitle(WebDriver driver, String title) {
        pollUntil(() -> title.equals(driver.getTitle()), () -> "the page's title is '" + driver.getTitle() + "', not '" + title + "'");
    }

    /**
     * Clicks {@code button} and waits until the browser has left the page it was on and loaded
     * the next: the page that answers a form may carry the same heading as the form's, so waiting
     * for a heading alone can read the old page before the submit was even sent. The old page is
     * told apart by a mark set on its window, which a navigation discards with the window's
     * globals. Asking the old page's elements instead fails while the navigation is under way:
     * ChromeDriver then answers "Node with given id does not belong to the document", not a stale
     * element. A script sent mid-navigation can fail the same way, so such a poll is retried.
     */
    public static void clickAndAwaitNewPage(WebDriver driver, org.openqa.selenium.WebElement button) {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        js.executeScript("window.jetonPageBeforeClick = true");
        button.click();
        pollUntil(() -> onNewLoadedPage(js), () -> "the browser stayed on the page after the click");
    }

    /** Polls {@code done} every 20 ms for up to 30 s; then fails with {@code failure}'s message. */
    private static void pollUntil(java.util.function.BooleanSupplier done, java.util.function.Supplier<String> failure) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError(failure.get());
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
    }

    private static boolean onNewLoadedPage(JavascriptExecutor js) {
        try {
            return Boolean.TRUE.equals(js.executeScript(
                    "return window.jetonPageBeforeClick === undefined && document.readyState === 'complete'"));
        } catch (WebDriverException midNavigation) {
            return false;
        }
    }
}
