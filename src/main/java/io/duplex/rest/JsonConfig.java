package io.duplex.rest;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

/**
 * How the REST API writes JSON: null is written as null, not left out (a session's {@code user} is null
 * when anonymous, and the contract keeps the field). Field order is set per document with {@code @JsonbPropertyOrder}.
 * Final, like the exception mappers, so that no server's CDI integration can stand a client proxy in for it
 * (Open Liberty's restfulWS gives unscoped providers a normal scope; JAX-RS then could not tell from the proxy
 * that it resolves {@code Jsonb}, and nulls were left out).
 */
@Provider
public final class JsonConfig implements ContextResolver<Jsonb> {
    private final Jsonb jsonb = JsonbBuilder.create(new JsonbConfig().withNullValues(true));

    @Override
    public Jsonb getContext(Class<?> type) {
        return jsonb;
    }
}
