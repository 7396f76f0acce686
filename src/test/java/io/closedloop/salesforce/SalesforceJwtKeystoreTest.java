package io.closedloop.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.config.SalesforceAuth;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import org.junit.jupiter.api.Test;

class SalesforceJwtKeystoreTest {
    @Test
    void pemKeyBecomesAPkcs12KeystoreWithAMatchingSelfSignedCertificate() throws Exception {
        var pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        var params = SalesforceJwtKeystore.of(new SalesforceAuth.JwtBearer("3MVG9", "u@x.example", Path.of("key.pem"),
                (RSAPrivateKey) pair.getPrivate()));
        Path file = Path.of(params.getResource().substring("file:".length()));
        assertThat(Files.getPosixFilePermissions(file)).extracting(Object::toString).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, params.getPassword().toCharArray());
        }
        assertThat(store.getKey("closedloop", params.getPassword().toCharArray())).isEqualTo(pair.getPrivate());
        X509Certificate cert = (X509Certificate) store.getCertificate("closedloop");
        assertThat(cert.getPublicKey()).isEqualTo(pair.getPublic());
        cert.verify(pair.getPublic());
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=closedloop");
    }
}
