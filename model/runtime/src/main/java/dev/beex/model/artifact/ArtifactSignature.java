package dev.beex.model.artifact;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 signatures over a model artifact's file bytes, with the JDK's own provider (no extra
 * dependency). Keys travel as standard PEM files: {@code PUBLIC KEY} (X.509
 * SubjectPublicKeyInfo) and {@code PRIVATE KEY} (PKCS#8), the same format
 * {@code openssl genpkey -algorithm ed25519} writes, so keys made with OpenSSL work here too.
 */
public final class ArtifactSignature {

    public static final String ALGORITHM = "Ed25519";

    private static final String PUBLIC_PEM = "PUBLIC KEY";
    private static final String PRIVATE_PEM = "PRIVATE KEY";

    private ArtifactSignature() {
    }

    /** A fresh Ed25519 key pair. */
    public static KeyPair generateKeyPair() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no " + ALGORITHM + " provider", e);
        }
    }

    /** Signs the artifact file bytes; the signature is 64 bytes. */
    public static byte[] sign(byte[] artifact, PrivateKey key) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key);
            s.update(artifact);
            return s.sign();
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("not an " + ALGORITHM + " private key: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed: " + e.getMessage(), e);
        }
    }

    /**
     * True when {@code signature} is a valid Ed25519 signature of {@code artifact} by {@code key}.
     * A malformed signature or a key of another algorithm is simply not valid (false), never an error.
     */
    public static boolean verify(byte[] artifact, byte[] signature, PublicKey key) {
        if (artifact == null || signature == null || key == null) {
            return false;
        }
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(artifact);
            return s.verify(signature);
        } catch (InvalidKeyException | SignatureException e) {
            return false;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no " + ALGORITHM + " provider", e);
        }
    }

    /** Decodes an X.509 (SubjectPublicKeyInfo) encoded Ed25519 public key, as {@link PublicKey#getEncoded()} gives. */
    public static PublicKey publicKey(byte[] x509) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(x509));
        } catch (InvalidKeySpecException e) {
            throw new IllegalArgumentException("not an " + ALGORITHM + " public key: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no " + ALGORITHM + " provider", e);
        }
    }

    /** Decodes a PKCS#8 encoded Ed25519 private key. */
    public static PrivateKey privateKey(byte[] pkcs8) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (InvalidKeySpecException e) {
            throw new IllegalArgumentException("not an " + ALGORITHM + " private key: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no " + ALGORITHM + " provider", e);
        }
    }

    /** Short identifier of a public key (first 16 hex digits of the SHA-256 of its encoding), for logs and events. */
    public static String fingerprint(PublicKey key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void writePublicKey(PublicKey key, Path file) throws IOException {
        Files.writeString(file, pem(PUBLIC_PEM, key.getEncoded()));
    }

    public static void writePrivateKey(PrivateKey key, Path file) throws IOException {
        Files.writeString(file, pem(PRIVATE_PEM, key.getEncoded()));
    }

    /** Reads a PEM {@code PUBLIC KEY} file; a malformed file is an IOException naming the file and the reason. */
    public static PublicKey readPublicKey(Path file) throws IOException {
        byte[] der = unpem(file, PUBLIC_PEM);
        try {
            return publicKey(der);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a PEM {@code PRIVATE KEY} file; a malformed file is an IOException naming the file and the reason. */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        byte[] der = unpem(file, PRIVATE_PEM);
        try {
            return privateKey(der);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static byte[] unpem(Path file, String type) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        if (b < 0 || e < b) {
            throw new IOException(file + ": not a PEM file with a '" + type + "' block");
        }
        String body = text.substring(b + begin.length(), e).replaceAll("\\s+", "");
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException ex) {
            throw new IOException(file + ": PEM body is not valid base64", ex);
        }
    }
}
