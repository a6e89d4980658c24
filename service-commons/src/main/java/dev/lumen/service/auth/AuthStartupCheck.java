package dev.lumen.service.auth;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Says loudly at start-up when a service that requires tokens has no key to verify them with: it
 * still starts (health stays green for the operator to look), but every {@code /api} call answers 401.
 */
@ApplicationScoped
@IfBuildProperty(name = AuthSettings.ENABLED, stringValue = "true")
public class AuthStartupCheck {

    private static final Logger LOG = Logger.getLogger(AuthStartupCheck.class);

    void onStart(@Observes StartupEvent event, Config config) {
        boolean configured = config.getOptionalValue(JwtKeyConfigSourceFactory.INLINE_KEY, String.class).isPresent()
                || config.getOptionalValue(JwtKeyConfigSourceFactory.KEY_LOCATION, String.class).isPresent();
        if (!configured) {
            LOG.errorf("no key to verify bearer tokens: set %s to a PEM file or the PEM text of the issuer's "
                    + "public key; until then every /api request answers 401", AuthSettings.PUBLIC_KEY_ENV);
        }
    }
}
