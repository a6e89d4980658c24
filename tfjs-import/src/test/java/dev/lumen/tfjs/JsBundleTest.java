package dev.lumen.tfjs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Reading the data literals of minified JavaScript model modules without executing them. */
class JsBundleTest {

    @Test
    void rewritesMinifierIdiomsIntoJson() {
        String script = "!function(t){module.exports=t()}((function(){return function(e){"
                + "e.exports={format:\"graph-model\",on:!0,off:!1,scale:.25,min:-.5,big:1e-3,"
                + "names:[\"a:0\",'b\"c'],nested:{list:[1,{x:2}]}}}}));";

        JsonNode json = JsBundle.exportedObject(script, "model.min.js");

        assertThat(json.path("format").asText()).isEqualTo("graph-model");
        assertThat(json.path("on").asBoolean()).isTrue();
        assertThat(json.path("off").asBoolean(true)).isFalse();
        assertThat(json.path("scale").asDouble()).isEqualTo(0.25);
        assertThat(json.path("min").asDouble()).isEqualTo(-0.5);
        assertThat(json.path("big").asDouble()).isEqualTo(0.001);
        assertThat(json.path("names").get(1).asText()).isEqualTo("b\"c");
        assertThat(json.path("nested").path("list").get(1).path("x").asInt()).isEqualTo(2);
    }

    @Test
    void decodesBase64Shards() {
        assertThat(JsBundle.exportedBase64("x(function(e){e.exports=\"AQID\"})", "shard.min.js")).containsExactly(1, 2, 3);
    }

    @Test
    void namesTheFileWhenNoModelIsExported() {
        assertThatThrownBy(() -> JsBundle.exportedObject("console.log(1)", "other.min.js"))
                .isInstanceOf(TfjsImportException.class)
                .hasMessageContaining("other.min.js");
    }
}
