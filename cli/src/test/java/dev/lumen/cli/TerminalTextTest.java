package dev.lumen.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Untrusted text reaches the terminal with every control and formatting character visible, not obeyed. */
class TerminalTextTest {

    /** A run name that clears the screen, sets the window title, hides text and reverses the line. */
    private static final String HOSTILE = "ok\u001b[2J\u001b]0;pwned\u0007\u009b31m\r\nfake line\u202eevil\u200b\u007f";

    @Test
    void controlAndFormattingCharactersAreEscapedVisibly() {
        String safe = TerminalText.safe(HOSTILE);
        assertThat(safe).isEqualTo("ok\\e[2J\\e]0;pwned\\x07\\x9b31m\\r\\nfake line\\u202eevil\\u200b\\x7f");
        assertThat(safe.codePoints()).noneMatch(TerminalText::unsafe);
        assertThat(TerminalText.safe("Grad-CAM on café images, 猫")).isEqualTo("Grad-CAM on café images, 猫");
        assertThat(TerminalText.safe(null)).isEmpty();
    }

    @Test
    void linesKeepTheirNewlinesButNothingElse() {
        assertThat(TerminalText.safeLines("run-service answered 400:\nname \u001b[31mred")).isEqualTo(
                "run-service answered 400:\nname \\e[31mred");
    }

    @Test
    void jsonStaysValidAndEqualWhileEscapingWhatJacksonLetsThrough() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode run = mapper.createObjectNode().put("runId", "run-1").put("name", HOSTILE);
        String printed = TerminalText.json(run);
        assertThat(printed.codePoints().filter(c -> c != '\n')).noneMatch(TerminalText::unsafe);
        assertThat(printed).contains("\\u009b", "\\u202e").containsIgnoringCase("\\u007f").containsIgnoringCase("\\u001b");
        assertThat(mapper.readTree(printed)).isEqualTo(run);
    }

    @Test
    void theProgressLineEscapesTheStateItIsGiven() throws Exception {
        com.fasterxml.jackson.databind.JsonNode progress = new ObjectMapper().readTree(
                "{\"total\":2,\"explained\":1,\"skipped\":0,\"failed\":0,\"state\":\"RUNNING\\u001b[2J\"}");
        assertThat(ProgressBar.render(progress)).endsWith("RUNNING\\e[2J").doesNotContain("\u001b");
    }
}
