package org.obkm.userstore.ldap.internal;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.directory.api.ldap.codec.api.LdapApiService;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.message.BindRequest;
import org.apache.directory.api.ldap.model.message.BindRequestImpl;
import org.apache.directory.api.ldap.model.message.BindResponse;
import org.apache.directory.api.ldap.model.message.LdapResult;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;
import org.apache.directory.ldap.client.api.LdapConnectionConfig;
import org.apache.directory.ldap.client.api.LdapNetworkConnection;
import org.apache.directory.ldap.client.api.future.BindFuture;

/**
 * Makes the connections of one replica's pools: connected (with {@code ldaps://} or StartTLS), and for
 * the search pool bound as the service account. Connections of the authentication pool stay unbound
 * here; each sign-in binds them as the customer, and they never serve a search.
 */
final class ConnectionFactory extends BasePooledObjectFactory<LdapNetworkConnection> {

    /** The service account could not bind: a configuration error, not an outage. */
    static final class ServiceBindRefused extends LdapException {
        private static final long serialVersionUID = 1L;

        ServiceBindRefused(String message) {
            super(message);
        }
    }

    private final LdapSettings.Replica replica;
    private final LdapSettings settings;
    private final LdapApiService api;
    private final LdapTls tls;
    private final boolean serviceBound;

    ConnectionFactory(LdapSettings.Replica replica, LdapSettings settings, LdapApiService api, LdapTls tls,
            boolean serviceBound) {
        this.replica = replica;
        this.settings = settings;
        this.api = api;
        this.tls = tls;
        this.serviceBound = serviceBound;
    }

    @Override
    public LdapNetworkConnection create() throws LdapException {
        LdapNetworkConnection c = connect();
        if (serviceBound && settings.serviceBind()) {
            try {
                bindService(c);
            } catch (LdapException | RuntimeException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    /** A new connection to the replica, TLS established when configured, not bound. */
    LdapNetworkConnection connect() throws LdapException {
        LdapConnectionConfig config = new LdapConnectionConfig();
        config.setLdapHost(replica.host());
        config.setLdapPort(replica.port());
        config.setUseSsl(replica.ldaps());
        config.setUseTls(!replica.ldaps() && settings.startTls());
        if (replica.ldaps() || settings.startTls()) {
            config.setSslProtocol("TLS");
            config.setEnabledProtocols(LdapTls.PROTOCOLS);
            config.setTrustManagers(tls.forHost(replica.host()));
        }
        config.setTimeout(settings.readTimeoutMillis());
        config.setConnectTimeout(settings.connectTimeoutMillis());
        config.setReadOperationTimeout(settings.readTimeoutMillis());
        config.setWriteOperationTimeout(settings.readTimeoutMillis());
        config.setSendTimeout(settings.readTimeoutMillis());
        config.setCloseTimeout(Math.min(1000L, settings.readTimeoutMillis()));
        LdapNetworkConnection c = new LdapNetworkConnection(config, api);
        try {
            c.connect();
            return c;
        } catch (LdapException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Binds as the service account; a refusal is a {@link ServiceBindRefused}. */
    void bindService(LdapNetworkConnection c) throws LdapException {
        LdapResult r = bind(c, settings.bindDn(), settings.bindPassword().getBytes(StandardCharsets.UTF_8),
                settings.readTimeoutMillis());
        if (r.getResultCode() != ResultCodeEnum.SUCCESS) {
            throw new ServiceBindRefused("the service account " + settings.bindDn() + " cannot bind: "
                    + r.getResultCode().getMessage() + diagnostic(r));
        }
    }

    /**
     * A simple bind with an answer within {@code timeoutMillis}; the result of the directory, or an
     * {@link LdapException} when none came (the caller then discards the connection).
     */
    static LdapResult bind(LdapNetworkConnection c, String dn, byte[] password, long timeoutMillis)
            throws LdapException {
        BindRequest request = new BindRequestImpl();
        request.setSimple(true);
        request.setName(dn);
        request.setCredentials(password);
        BindFuture future = c.bindAsync(request);
        BindResponse response;
        try {
            response = future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LdapException("interrupted while waiting for the bind");
        }
        if (response == null) {
            throw new LdapException("no answer to a bind within " + timeoutMillis + " ms");
        }
        if (ConnectionFactory.connectionLost(response.getLdapResult().getResultCode())) {
            throw new LdapException("the directory answered a bind with "
                    + response.getLdapResult().getResultCode().getMessage() + diagnostic(response.getLdapResult()));
        }
        return response.getLdapResult();
    }

    /**
     * Result codes that speak of the connection or the server rather than the request: a server going
     * down sends a notice of disconnection (RFC 4511 section 4.4.1: unavailable or protocolError), a
     * busy one busy. The operation is worth another connection or the next replica.
     */
    static boolean connectionLost(ResultCodeEnum code) {
        return switch (code) {
            case UNAVAILABLE, PROTOCOL_ERROR, BUSY, OTHER -> true;
            default -> false;
        };
    }

    static String diagnostic(LdapResult r) {
        String d = r.getDiagnosticMessage();
        return d == null || d.isBlank() ? "" : " (" + d.trim() + ")";
    }

    @Override
    public PooledObject<LdapNetworkConnection> wrap(LdapNetworkConnection c) {
        return new DefaultPooledObject<>(c);
    }

    @Override
    public boolean validateObject(PooledObject<LdapNetworkConnection> p) {
        LdapNetworkConnection c = p.getObject();
        return c.isConnected() && (!serviceBound || !settings.serviceBind() || c.isAuthenticated());
    }

    @Override
    public void destroyObject(PooledObject<LdapNetworkConnection> p) {
        p.getObject().close();
    }
}
