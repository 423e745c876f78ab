/**
 * Local peers for testing tokenrefresh, with no dependency on the component.
 * <p>
 * The public faces: {@link io.github.cameltokenrefresh.testing.StrictTokenServer} (a token, resource and
 * authorization server per dialect), {@link io.github.cameltokenrefresh.testing.FaultInjectingTokenProxy} with its
 * {@link io.github.cameltokenrefresh.testing.ProxyFault}s, {@link io.github.cameltokenrefresh.testing.TcpOutageProxy},
 * {@link io.github.cameltokenrefresh.testing.MutableClock}, {@link io.github.cameltokenrefresh.testing.LogCapture},
 * {@link io.github.cameltokenrefresh.testing.ForkedJvm} and
 * {@link io.github.cameltokenrefresh.testing.ExampleProviders}. Everything else is package-private, one part each:
 * <ul>
 * <li>the strict server: {@code TokenServerParts} wires {@code TokenServerHttpShell} (HTTP, request recording,
 * {@code HttpAnswer}s), one {@code DialectWireFormat} per dialect written from its document ({@code OAuth2WireFormat},
 * {@code AWeberWireFormat}, {@code Newsletter2GoWireFormat}, {@code PartnerWireFormat}, sharing {@code WireChecks},
 * {@code FormClientAuthentication} and {@code FormGrant}), {@code RequestExpectations}, {@code RotatingTokenIssuer},
 * {@code ScriptedTokenFailures}, {@code TokenCallPacing}, {@code TokenEndpoint}, {@code ResourceServer} and the
 * {@code AuthorizationEndpoint}; {@code TokenServerObservations} is the server's read side;</li>
 * <li>the proxy: {@code BoundedLoopbackListener} (connections), {@code Http1Wire} with {@code ProxiedRequest} and
 * {@code UpstreamResponse} (parsing), {@code FaultSchedule}, {@code FaultPlayer} (faults answered by the proxy),
 * {@code UpstreamForwarder} (relaying) and {@code RefreshTokenGracePeriod} (a provider's grace period for the previous
 * refresh token).</li>
 * </ul>
 */
package io.github.cameltokenrefresh.testing;
