package dev.beex.model.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactSignatureTest {

    private static final byte[] ARTIFACT = "BEEX model bytes \u0000\u0001\u0002".getBytes(StandardCharsets.UTF_8);

    @Test
    void signatureVerifiesOnlyForTheSameBytesAndKey() {
        KeyPair keys = ArtifactSignature.generateKeyPair();
        KeyPair other = ArtifactSignature.generateKeyPair();
        byte[] sig = ArtifactSignature.sign(ARTIFACT, keys.getPrivate());

        assertThat(sig).hasSize(64);
        assertThat(ArtifactSignature.verify(ARTIFACT, sig, keys.getPublic())).isTrue();
        assertThat(ArtifactSignature.verify(ARTIFACT, sig, other.getPublic())).isFalse();

        byte[] tampered = ARTIFACT.clone();
        tampered[3] ^= 1;
        assertThat(ArtifactSignature.verify(tampered, sig, keys.getPublic())).isFalse();

        byte[] badSig = sig.clone();
        badSig[10] ^= 1;
        assertThat(ArtifactSignature.verify(ARTIFACT, badSig, keys.getPublic())).isFalse();
        assertThat(ArtifactSignature.verify(ARTIFACT, new byte[5], keys.getPublic())).isFalse();
        assertThat(ArtifactSignature.verify(ARTIFACT, null, keys.getPublic())).isFalse();
    }

    @Test
    void pemFilesRoundTrip(@TempDir Path dir) throws IOException {
        KeyPair keys = ArtifactSignature.generateKeyPair();
        Path pub = dir.resolve("beex.pub");
        Path priv = dir.resolve("beex.key");
        ArtifactSignature.writePublicKey(keys.getPublic(), pub);
        ArtifactSignature.writePrivateKey(keys.getPrivate(), priv);

        assertThat(Files.readString(pub)).startsWith("-----BEGIN PUBLIC KEY-----\n");
        PublicKey readPub = ArtifactSignature.readPublicKey(pub);
        byte[] sig = ArtifactSignature.sign(ARTIFACT, ArtifactSignature.readPrivateKey(priv));
        assertThat(ArtifactSignature.verify(ARTIFACT, sig, readPub)).isTrue();
        assertThat(readPub.getEncoded()).isEqualTo(keys.getPublic().getEncoded());
        assertThat(ArtifactSignature.fingerprint(readPub)).hasSize(16).isEqualTo(ArtifactSignature.fingerprint(keys.getPublic()));
    }

    @Test
    void readsAnOpenSslStylePublicKey(@TempDir Path dir) throws IOException {
        // `openssl genpkey -algorithm ed25519 | openssl pkey -pubout` output (RFC 8410 test vector key)
        Path pub = dir.resolve("openssl.pub");
        Files.writeString(pub, "-----BEGIN PUBLIC KEY-----\r\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\r\n-----END PUBLIC KEY-----\r\n");
        assertThat(ArtifactSignature.readPublicKey(pub).getAlgorithm()).isIn("EdDSA", "Ed25519");
    }

    @Test
    void malformedKeyFilesNameTheFile(@TempDir Path dir) throws IOException {
        Path notPem = dir.resolve("junk.pub");
        Files.writeString(notPem, "hello");
        assertThatThrownBy(() -> ArtifactSignature.readPublicKey(notPem))
                .isInstanceOf(IOException.class).hasMessageContaining("junk.pub").hasMessageContaining("PUBLIC KEY");

        Path wrongBody = dir.resolve("bad.pub");
        Files.writeString(wrongBody, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        assertThatThrownBy(() -> ArtifactSignature.readPublicKey(wrongBody))
                .isInstanceOf(IOException.class).hasMessageContaining("bad.pub");
    }
}
