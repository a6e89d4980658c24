package dev.lumen.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Services put the devstack jar on their test class path without its dependencies, so
 * {@link TestStack} and every class it reaches must need nothing beyond the JDK.
 */
class TestStackIsolationTest {

    private static final String PACKAGE = "dev.lumen.devstack.";
    private static final Pattern DEPENDENCY = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)", Pattern.MULTILINE);

    @Test
    void testStackReachesOnlyJdkClasses() throws URISyntaxException {
        Path classes = Path.of(TestStack.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> reached = new HashSet<>();
        Set<String> foreign = new TreeSet<>();
        Deque<String> pending = new ArrayDeque<>(Set.of(TestStack.class.getName(), TestStack.Endpoints.class.getName()));
        while (!pending.isEmpty()) {
            String className = pending.pop();
            if (!reached.add(className)) {
                continue;
            }
            Matcher dependency = DEPENDENCY.matcher(jdeps(classes, className));
            while (dependency.find()) {
                String target = dependency.group(2);
                if (target.startsWith(PACKAGE)) {
                    pending.push(target);
                } else if (!target.startsWith("java.")) {
                    foreign.add(dependency.group(1) + " -> " + target);
                }
            }
        }
        assertThat(reached).contains(EnvFile.class.getName(), StackProcess.class.getName());
        assertThat(foreign).isEmpty();
    }

    private static String jdeps(Path classes, String className) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        Path classFile = classes.resolve(className.replace('.', '/') + ".class");
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose", classFile.toString());
        assertThat(status).as(out.toString()).isZero();
        return out.toString();
    }
}
