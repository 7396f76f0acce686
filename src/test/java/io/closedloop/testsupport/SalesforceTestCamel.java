package io.closedloop.testsupport;

import io.closedloop.config.ClosedloopSettings;
import io.closedloop.salesforce.SalesforceClient;
import io.closedloop.sandbox.salesforce.SalesforceEmulator;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.impl.DefaultCamelContext;

/** A started Salesforce emulator and a {@link SalesforceClient} whose camel-salesforce logs in to it (client credentials). */
public record SalesforceTestCamel(SalesforceEmulator emulator, CamelContext camel, SalesforceClient client) implements AutoCloseable {

    public static SalesforceTestCamel start(Path dir) throws Exception {
        SalesforceEmulator emulator = new SalesforceEmulator(SalesforceEmulator.Config.defaults()).start(0);
        Map<String, String> env = TestSettings.env(dir);
        env.put("SALESFORCE_LOGIN_URL", emulator.baseUrl());
        ClosedloopSettings settings = TestSettings.settings(dir, env);
        CamelContext camel = new DefaultCamelContext();
        SalesforceComponent salesforce = new SalesforceComponent();
        salesforce.setLoginUrl(emulator.baseUrl());
        salesforce.setClientId(SalesforceEmulator.Config.defaults().clientId());
        salesforce.setClientSecret(SalesforceEmulator.Config.defaults().clientSecret());
        salesforce.setAuthenticationType(AuthenticationType.CLIENT_CREDENTIALS);
        salesforce.setLazyLogin(true);
        SalesforceEndpointConfig config = new SalesforceEndpointConfig();
        config.setApiVersion(settings.salesforceApiVersion());
        salesforce.setConfig(config);
        camel.addComponent("salesforce", salesforce);
        camel.start();
        return new SalesforceTestCamel(emulator, camel, new SalesforceClient(camel, settings));
    }

    @Override
    public void close() {
        camel.stop();
        emulator.close();
    }
}
