package io.closedloop.runtime;

import io.closedloop.config.ClosedloopSettings;
import io.closedloop.config.SalesforceAuth;
import io.closedloop.salesforce.SalesforceJwtKeystore;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;

/** The camel-salesforce component the daemon and {@code validate} log in with, from the settings. */
final class SalesforceComponents {
    private SalesforceComponents() {
    }

    /** camel-salesforce, logging in lazily so that bad credentials stop the flows (health DOWN) rather than startup. */
    static SalesforceComponent of(ClosedloopSettings settings) {
        SalesforceComponent component = new SalesforceComponent();
        component.setLoginUrl(settings.salesforceLoginUrl().toString());
        component.setClientId(settings.salesforceAuth().clientId());
        if (settings.salesforceAuth() instanceof SalesforceAuth.ClientCredentials cc) {
            component.setAuthenticationType(AuthenticationType.CLIENT_CREDENTIALS);
            component.setClientSecret(cc.clientSecret().reveal());
        } else if (settings.salesforceAuth() instanceof SalesforceAuth.JwtBearer jwt) {
            component.setAuthenticationType(AuthenticationType.JWT);
            component.setUserName(jwt.username());
            component.setKeystore(SalesforceJwtKeystore.of(jwt));
        }
        component.setLazyLogin(true);
        // camel-salesforce's own default (10 s) fails a slow but working Composite call, and its retry writes it again
        component.setHttpClientIdleTimeout(settings.salesforceTimeout().toMillis());
        SalesforceEndpointConfig config = new SalesforceEndpointConfig();
        config.setApiVersion(settings.salesforceApiVersion());
        component.setConfig(config);
        return component;
    }
}
