package io.github.cameltokenrefresh.internal.account;

import io.github.cameltokenrefresh.testing.LogCapture;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Keeps the log of these tests out of a green build (they provoke failures on purpose, each logging a warning), and
 * prints it when a test fails, so nothing is lost for whoever looks into it.
 */
final class QuietLog implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(QuietLog.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("capture", new LogCapture());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        LogCapture capture = context.getStore(NAMESPACE).remove("capture", LogCapture.class);
        capture.close();
        if (context.getExecutionException().isPresent()) {
            System.out.println("---- log of " + context.getRequiredTestClass().getSimpleName() + "."
                               + context.getRequiredTestMethod().getName() + " (" + context.getDisplayName() + ")\n"
                               + capture.text());
        }
    }
}
