package io.duplex.security;

import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.duplex.config.DuplexConfig;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * Verifies connection tokens: JWS-signed JWTs checked with the configured keys ({@link VerificationKeys}).
 * A valid token has a {@code sub} (the user) and an {@code exp} in the future; its optional claims
 * {@code subscribe}, {@code publish} and {@code admin} say what the user may do (see {@link ChannelAccess}).
 * Error messages say what is wrong with a token and never repeat it.
 */
@ApplicationScoped
public class TokenVerifier {
    /** How far in the future a token's nbf may lie: the issuer's clock may run a little ahead. */
    private static final Duration NOT_BEFORE_LEEWAY = Duration.ofSeconds(30);

    private final DuplexConfig.Auth auth;
    private final DefaultJWTProcessor<SecurityContext> processor;
    private final Clock clock;

    protected TokenVerifier() {
        // for CDI's client proxy
        this.auth = null;
        this.processor = null;
        this.clock = null;
    }

    @Inject
    public TokenVerifier(DuplexConfig config) {
        this(config.auth(), Clock.systemUTC());
    }

    TokenVerifier(DuplexConfig.Auth auth, Clock clock) {
        this.auth = auth;
        this.clock = clock;
        if (auth.tokens()) {
            processor = new DefaultJWTProcessor<>();
            processor.setJWSKeySelector(VerificationKeys.selector(auth));
            // Claims are checked below, with messages a client can act on and no leeway on exp.
            processor.setJWTClaimsSetVerifier(null);
        } else {
            processor = null;
        }
    }

    /** Whether tokens are checked at all: a token key is configured. */
    public boolean enabled() {
        return processor != null;
    }

    /** The identity a valid token proves; throws {@code unauthorized} saying what is wrong with it. */
    public Identity verify(String token) {
        if (!enabled()) {
            throw new IllegalStateException("no token key is configured");
        }
        if (token == null || token.isBlank()) {
            throw unauthorized("a token is required: send connect with \"token\"");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token.trim(), null);
        } catch (ParseException e) {
            throw unauthorized("the token is not a signed JWT");
        } catch (BadJWSException e) {
            throw unauthorized("the token's signature is not valid for the configured keys");
        } catch (BadJOSEException e) {
            throw unauthorized("the token is not signed with an accepted algorithm and key");
        } catch (com.nimbusds.jose.JOSEException | RuntimeException e) {
            throw unauthorized("the token cannot be verified");
        }
        return identity(claims);
    }

    private Identity identity(JWTClaimsSet claims) {
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw unauthorized("the token has no exp claim; tokens must expire");
        }
        if (!exp.toInstant().isAfter(now)) {
            throw unauthorized("the token expired at " + exp.toInstant());
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(NOT_BEFORE_LEEWAY))) {
            throw unauthorized("the token is not valid before " + nbf.toInstant());
        }
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            throw unauthorized("the token has no sub claim (the user)");
        }
        Optional<String> issuer = auth.issuer();
        if (issuer.isPresent() && !issuer.get().equals(claims.getIssuer())) {
            throw unauthorized("the token's iss is not the expected issuer");
        }
        Optional<String> audience = auth.audience();
        if (audience.isPresent() && (claims.getAudience() == null || !claims.getAudience().contains(audience.get()))) {
            throw unauthorized("the token's aud does not name this service");
        }
        return Identity.ofToken(subject, exp.toInstant(), patterns(claims, "subscribe"), patterns(claims, "publish"), admin(claims));
    }

    private static List<String> patterns(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        if (value == null) {
            return List.of();
        }
        if (value instanceof String single) {
            return List.of(single);
        }
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return list.stream().map(String.class::cast).toList();
        }
        throw unauthorized("the token's " + name + " claim must be a list of channel names or prefixes ending in *");
    }

    private static boolean admin(JWTClaimsSet claims) {
        Object value = claims.getClaim("admin");
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean flag) {
            return flag;
        }
        throw unauthorized("the token's admin claim must be true or false");
    }

    private static DuplexException unauthorized(String message) {
        return new DuplexException(ErrorCode.UNAUTHORIZED, message);
    }
}
