package dev.lumen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DevTokensTest {

    @TempDir
    Path dir;

    @Test
    void mintsAnRs256TokenThatThePublicKeyVerifies() throws Exception {
        DevTokens tokens = new DevTokens(dir.resolve("keys"));

        String token = tokens.mint("acme", Duration.ofMinutes(30));

        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        ObjectMapper json = new ObjectMapper();
        JsonNode header = json.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(header.path("alg").asText()).isEqualTo("RS256");
        assertThat(claims.path("iss").asText()).isEqualTo("lumen");
        assertThat(claims.path("tenant").asText()).isEqualTo("acme");
        long now = Instant.now().getEpochSecond();
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(1800);
        assertThat(claims.path("iat").asLong()).isBetween(now - 5, now + 5);

        String pem = Files.readString(tokens.publicKey());
        assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----");
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(
                Base64.getDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""))));
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(key);
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(verifier.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    }

    @Test
    void theKeyPairIsMadeOnceAndKept() throws Exception {
        DevTokens first = new DevTokens(dir);
        String publicKey = Files.readString(first.publicKey());

        new DevTokens(dir).mint("default", Duration.ofHours(1));

        assertThat(Files.readString(new DevTokens(dir).publicKey())).isEqualTo(publicKey);
    }

    @Test
    void timesToLiveAndTenantsAreChecked() {
        assertThat(DevTokens.parseTtl("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DevTokens.parseTtl("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(DevTokens.parseTtl("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(DevTokens.parseTtl("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(DevTokens.parseTtl("PT2H")).isEqualTo(Duration.ofHours(2));
        assertThatThrownBy(() -> DevTokens.parseTtl("soon")).isInstanceOf(CliException.class);
        assertThatThrownBy(() -> new DevTokens(dir).mint("a b", Duration.ofHours(1))).isInstanceOf(CliException.class);
    }

    @Test
    void aTimeToLiveBeyondTheServicesMaximumIsRefused() {
        DevTokens tokens = new DevTokens(dir.resolve("limited"), DevTokens.maxLifetime("2h"));
        assertThat(tokens.mint("acme", Duration.ofHours(2))).isNotBlank();
        assertThatThrownBy(() -> tokens.mint("acme", Duration.ofHours(3)))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("at most 2 h")
                .hasMessageContaining(DevTokens.MAX_LIFETIME_ENV);
        assertThatThrownBy(() -> new DevTokens(dir.resolve("default")).mint("acme", Duration.ofDays(36_500)))
                .hasMessageContaining("at most 24 h");
        assertThat(DevTokens.maxLifetime(null)).isEqualTo(Duration.ofHours(24));
        assertThat(DevTokens.maxLifetime("3600")).isEqualTo(Duration.ofHours(1));
        assertThat(DevTokens.maxLifetime("PT30M")).isEqualTo(Duration.ofMinutes(30));
    }
}
