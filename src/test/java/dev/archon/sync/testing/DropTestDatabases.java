package dev.archon.sync.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Drops the databases a test class made on the shared servers, after the class (and its own
 * {@code @AfterAll}) has run. Registered for every test class through
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension}.
 */
public final class DropTestDatabases implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) {
        TestServers.dropCreated();
    }
}
