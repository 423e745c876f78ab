package io.github.cameltokenrefresh;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium, driven through Debian's chromedriver, both given by path so Selenium Manager downloads nothing;
 * a phone's viewport (390 x 844, mobile emulation), a fresh profile. Skips the test where they are not installed,
 * unless {@code TOKENREFRESH_REQUIRE_BROWSER=true} (.ci/run installs them and sets it).
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final int PHONE_WIDTH = 390;
    static final int PHONE_HEIGHT = 844;

    final ChromeDriver driver;
    private final Path profile;

    private HeadlessChromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static HeadlessChromium start() throws IOException {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && "true".equals(System.getenv("TOKENREFRESH_REQUIRE_BROWSER"))) {
            throw new IllegalStateException(CHROMIUM + " or " + CHROMEDRIVER + " is missing, and"
                                            + " TOKENREFRESH_REQUIRE_BROWSER=true (.ci/run installs them)");
        }
        Assumptions.assumeTrue(installed, "skipped: no headless browser here; install Debian's chromium and"
                                          + " chromium-driver (apt-get install -y chromium chromium-driver), as"
                                          + " .ci/run does");
        Path profile = Files.createTempDirectory("tokenrefresh-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                             "--disable-component-update", "--disable-sync", "--no-first-run",
                             "--disable-dev-shm-usage", "--user-data-dir=" + profile);
        options.setExperimentalOption("mobileEmulation", Map.of(
                "deviceMetrics", Map.of("width", PHONE_WIDTH, "height", PHONE_HEIGHT, "pixelRatio", 2.0, "mobile", true),
                "userAgent", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
                             + " Chrome/120.0 Mobile Safari/537.36"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new HeadlessChromium(new ChromeDriver(service, options), profile);
    }

    /** The page as the phone shows it, kept in target/browser-screenshots/ (a build artifact). */
    Path screenshot(String name) throws IOException {
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Path dir = Path.of("target", "browser-screenshots");
        Files.createDirectories(dir);
        return Files.copy(shot.toPath(), dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (var files = Files.walk(profile)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
