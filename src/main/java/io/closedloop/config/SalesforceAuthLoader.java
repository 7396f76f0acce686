package io.closedloop.config;

import static io.closedloop.config.SettingKey.SALESFORCE_CLIENT_ID;
import static io.closedloop.config.SettingKey.SALESFORCE_CLIENT_SECRET;
import static io.closedloop.config.SettingKey.SALESFORCE_JWT_KEY_FILE;
import static io.closedloop.config.SettingKey.SALESFORCE_USERNAME;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Picks the one configured Salesforce login flow (client credentials or JWT bearer) and reads its key. */
final class SalesforceAuthLoader {
    private static final Pattern PKCS8_PEM =
            Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private final SettingSources sources;
    private final SettingProblems problems;

    SalesforceAuthLoader(SettingSources sources, SettingProblems problems) {
        this.sources = sources;
        this.problems = problems;
    }

    SalesforceAuth load() {
        String clientId = sources.required(SALESFORCE_CLIENT_ID, "consumer key of the Salesforce connected app");
        if (clientId != null && !SettingValues.TOKEN_CHARS.matcher(clientId).matches()) {
            problems.add(SALESFORCE_CLIENT_ID, "malformed: expected a consumer key with no spaces");
            clientId = null;
        }
        String secret = sources.raw(SALESFORCE_CLIENT_SECRET);
        String username = sources.raw(SALESFORCE_USERNAME);
        String keyFile = sources.raw(SALESFORCE_JWT_KEY_FILE);
        boolean jwtWanted = username != null || keyFile != null;

        if (secret != null && jwtWanted) {
            problems.add(SALESFORCE_CLIENT_SECRET, "configure one Salesforce login flow: either "
                    + "SALESFORCE_CLIENT_SECRET (client credentials) or SALESFORCE_USERNAME + SALESFORCE_JWT_KEY_FILE (JWT bearer)");
            return null;
        }
        if (jwtWanted) {
            return jwtBearer(clientId, username, keyFile);
        }
        if (secret == null) {
            if (!problems.reported(SALESFORCE_CLIENT_SECRET)) {
                problems.add(SALESFORCE_CLIENT_SECRET, "required (or SALESFORCE_CLIENT_SECRET_FILE): consumer secret for the "
                        + "client-credentials flow; for the JWT bearer flow set SALESFORCE_USERNAME and SALESFORCE_JWT_KEY_FILE instead");
            }
            return null;
        }
        if (!SettingValues.TOKEN_CHARS.matcher(secret).matches()) {
            problems.add(SALESFORCE_CLIENT_SECRET, "malformed: expected a consumer secret with no spaces or line breaks; value not shown");
            return null;
        }
        return clientId == null ? null : new SalesforceAuth.ClientCredentials(clientId, Secret.of(secret));
    }

    private SalesforceAuth jwtBearer(String clientId, String username, String keyFile) {
        if (username == null) {
            problems.add(SALESFORCE_USERNAME, "required with SALESFORCE_JWT_KEY_FILE (JWT bearer flow): the Salesforce username to act as");
        }
        RSAPrivateKey key = null;
        if (keyFile == null) {
            problems.add(SALESFORCE_JWT_KEY_FILE, "required with SALESFORCE_USERNAME (JWT bearer flow): path to the connected app's PEM private key");
        } else {
            key = readPrivateKey(Path.of(keyFile));
        }
        return clientId == null || username == null || key == null ? null
                : new SalesforceAuth.JwtBearer(clientId, username, Path.of(keyFile), key);
    }

    private RSAPrivateKey readPrivateKey(Path path) {
        String pem;
        try {
            pem = Files.readString(path, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            problems.add(SALESFORCE_JWT_KEY_FILE, "cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
            return null;
        }
        Matcher m = PKCS8_PEM.matcher(pem);
        if (!m.find()) {
            String hint = pem.contains("BEGIN RSA PRIVATE KEY")
                    ? " (this is PKCS#1: convert it with 'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem')" : "";
            problems.add(SALESFORCE_JWT_KEY_FILE, "malformed: " + path + " is not a PEM PKCS#8 RSA private key" + hint + "; contents not shown");
            return null;
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(m.group(1));
            return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (Exception e) {
            problems.add(SALESFORCE_JWT_KEY_FILE, "malformed: " + path + " does not hold a valid RSA private key; contents not shown");
            return null;
        }
    }
}
