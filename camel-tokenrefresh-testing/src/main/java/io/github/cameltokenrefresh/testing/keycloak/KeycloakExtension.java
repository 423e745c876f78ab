package io.github.cameltokenrefresh.testing.keycloak;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * {@code @ExtendWith(KeycloakExtension.class)}: the test JVM's one Keycloak ({@link KeycloakServer#shared()}), started
 * before the class's first test (the first class to ask waits for it; the others find it running) and handed to any
 * test, constructor or lifecycle method that declares a {@link KeycloakServer} parameter. It stops when the JVM exits,
 * so every Keycloak test class of a Failsafe run shares one start.
 */
public final class KeycloakExtension implements BeforeAllCallback, ParameterResolver {

    @Override
    public void beforeAll(ExtensionContext context) {
        KeycloakServer.shared();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KeycloakServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return KeycloakServer.shared();
    }
}
