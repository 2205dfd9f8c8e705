package io.duplex.rest;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code /api/openapi.json} and {@code /api/openapi.yaml}: the OpenAPI 3 document ({@link OpenApiSpec}). */
@Path("/")
public class OpenApiDocument {

    @GET
    @Path("openapi.json")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public String json() {
        return OpenApiSpec.json();
    }

    @GET
    @Path("openapi.yaml")
    @Produces({"application/yaml", MediaType.WILDCARD})
    @Operation(hidden = true)
    public String yaml() {
        return OpenApiSpec.yaml();
    }
}
