package dev.lumen.service.auth;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** LUMEN_JWT_PUBLIC_KEY takes a PEM path or the PEM text (lives here: service-commons has no test set-up). */
class JwtKeyConfigSourceFactoryTest {

    @Test
    void pemTextBecomesTheInlineKey() {
        String pem = "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n";
        assertThat(JwtKeyConfigSourceFactory.properties(pem))
                .containsExactly(java.util.Map.entry("mp.jwt.verify.publickey", pem.strip()));
    }

    @Test
    void aPathBecomesAFileLocation() {
        assertThat(JwtKeyConfigSourceFactory.properties("keys/jwt-public.pem"))
                .containsExactly(java.util.Map.entry("mp.jwt.verify.publickey.location",
                        "file:" + Path.of("keys/jwt-public.pem").toAbsolutePath()));
        assertThat(JwtKeyConfigSourceFactory.properties("https://issuer.example/keys.pem"))
                .containsEntry("mp.jwt.verify.publickey.location", "https://issuer.example/keys.pem");
    }

    @Test
    void unsetOrBlankSetsNothing() {
        assertThat(JwtKeyConfigSourceFactory.properties(null)).isEmpty();
        assertThat(JwtKeyConfigSourceFactory.properties("  ")).isEmpty();
    }
}
