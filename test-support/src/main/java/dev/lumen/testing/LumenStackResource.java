package dev.lumen.testing;

import dev.lumen.devstack.TestStack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the real Kafka broker and S3 server: those named by the environment
 * (CI), or a devstack started once for the test JVM.
 */
public class LumenStackResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return TestStack.ensureStarted().asQuarkusConfig();
    }

    @Override
    public void stop() {
        // The stack outlives single test classes; TestStack stops it when the JVM exits.
    }
}
