package io.closedloop.salesforce;

import io.closedloop.config.SalesforceAuth;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import org.apache.camel.support.jsse.KeyStoreParameters;

/**
 * camel-salesforce signs JWT assertions with a key from a keystore, while the public contract is a PEM key
 * file. The keystore only needs a certificate beside the key, never sent anywhere, so a self-signed one is
 * made here (DER by hand: the JDK has no public certificate builder) and the keystore is written, owner-only,
 * to a temporary file.
 */
public final class SalesforceJwtKeystore {
    private static final byte[] SHA256_WITH_RSA = HexFormat.of().parseHex("300d06092a864886f70d01010b0500");
    private static final byte[] CN = HexFormat.of().parseHex("0603550403");

    private SalesforceJwtKeystore() {
    }

    public static KeyStoreParameters of(SalesforceAuth.JwtBearer jwt) {
        try {
            if (!(jwt.privateKey() instanceof RSAPrivateCrtKey crt)) {
                throw new IllegalStateException("SALESFORCE_JWT_KEY_FILE: the key has no public exponent (not a CRT RSA key)");
            }
            PublicKey publicKey = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            Certificate cert = selfSigned(crt, publicKey);
            char[] password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16)).toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("closedloop", crt, password, new Certificate[] {cert});
            Path file = Files.createTempFile("closedloop-jwt", ".p12", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            file.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password);
            }
            KeyStoreParameters params = new KeyStoreParameters();
            params.setResource("file:" + file);
            params.setType("PKCS12");
            params.setPassword(new String(password));
            return params;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot prepare the JWT signing key: " + e.getClass().getSimpleName(), e);
        }
    }

    static Certificate selfSigned(RSAPrivateCrtKey key, PublicKey publicKey) throws GeneralSecurityException, IOException {
        byte[] name = seq(set(seq(CN, tlv(0x0c, "closedloop".getBytes(StandardCharsets.UTF_8)))));
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        DateTimeFormatter utc = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
        byte[] validity = seq(tlv(0x17, utc.format(now.minusDays(1)).getBytes(StandardCharsets.US_ASCII)),
                tlv(0x17, utc.format(now.plusYears(10)).getBytes(StandardCharsets.US_ASCII)));
        byte[] serial = tlv(0x02, BigInteger.valueOf(System.currentTimeMillis()).toByteArray());
        byte[] tbs = seq(serial, SHA256_WITH_RSA, name, validity, name, publicKey.getEncoded());
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update(tbs);
        byte[] signature = signer.sign();
        byte[] bitString = new byte[signature.length + 1];
        System.arraycopy(signature, 0, bitString, 1, signature.length);
        byte[] der = seq(tbs, SHA256_WITH_RSA, tlv(0x03, bitString));
        return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    private static byte[] seq(byte[]... parts) throws IOException {
        return tlv(0x30, concat(parts));
    }

    private static byte[] set(byte[]... parts) throws IOException {
        return tlv(0x31, concat(parts));
    }

    private static byte[] concat(byte[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p);
        }
        return out.toByteArray();
    }

    /** DER tag-length-value with definite length. */
    private static byte[] tlv(int tag, byte[] value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int len = value.length;
        if (len < 0x80) {
            out.write(len);
        } else {
            byte[] l = BigInteger.valueOf(len).toByteArray();
            int start = l[0] == 0 ? 1 : 0;
            out.write(0x80 | (l.length - start));
            out.write(l, start, l.length - start);
        }
        out.write(value);
        return out.toByteArray();
    }
}
