package io.duplex.rest;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON documents of the REST API, exactly as contract v1 names their fields. */
public final class Dto {
    private Dto() {
    }

    @Schema(description = "A message to publish or send: any JSON value but null.")
    @JsonbPropertyOrder({"data"})
    public record DataBody(@Schema(description = "The message; any JSON value but null.", requiredMode = Schema.RequiredMode.REQUIRED,
            implementation = Object.class) JsonValue data) {
    }

    @Schema(description = "Where a published message landed in its channel's history.")
    @JsonbPropertyOrder({"channel", "epoch", "offset"})
    public record Published(String channel, String epoch, long offset) {
    }

    @Schema(description = "One message of a channel's history.")
    @JsonbPropertyOrder({"offset", "data", "time"})
    public record Message(long offset, @Schema(implementation = Object.class) JsonValue data,
            @Schema(description = "When the engine accepted it (ISO-8601, UTC).") Instant time) {
    }

    @Schema(description = "Part of a channel's history, oldest first; `offset` is the channel's latest.")
    @JsonbPropertyOrder({"channel", "epoch", "offset", "messages"})
    public record HistoryPage(String channel, String epoch, long offset, List<Message> messages) {
    }

    @Schema(description = "A channel with its subscribers on this node and its latest offset.")
    @JsonbPropertyOrder({"channel", "subscribers", "offset"})
    public record ChannelSummary(String channel, int subscribers, long offset) {
    }

    @JsonbPropertyOrder({"channels"})
    public record ChannelList(List<ChannelSummary> channels) {
    }

    @Schema(description = "A channel's epoch, latest offset and subscribers on this node.")
    @JsonbPropertyOrder({"channel", "epoch", "offset", "subscribers"})
    public record ChannelInfo(String channel, String epoch, long offset, int subscribers) {
    }

    @Schema(description = "A session subscribed to a channel; `user` is null for an anonymous session.")
    @JsonbPropertyOrder({"session", "user"})
    public record Member(String session, @Schema(nullable = true) String user) {
    }

    @JsonbPropertyOrder({"channel", "sessions"})
    public record PresenceList(String channel, List<Member> sessions) {
    }

    @Schema(description = "A client session open on this node, through whichever door it came.")
    @JsonbPropertyOrder({"session", "user", "remote", "connectedAt", "channels", "door"})
    public record SessionInfo(String session, @Schema(nullable = true) String user,
            @Schema(description = "The client's address, host:port.") String remote, Instant connectedAt,
            List<String> channels,
            @Schema(description = "The door the client came through: `ws` (protocol v1), `sse`, `stomp`, `pusher`.")
            String door) {
    }

    @JsonbPropertyOrder({"sessions"})
    public record SessionList(List<SessionInfo> sessions) {
    }

    @Schema(description = "Whether this node can serve; 503 with status `down` while it cannot. A bridge that is down "
            + "does not make the node down: it serves its clients, and the bridge reconnects.")
    @JsonbPropertyOrder({"status", "engine", "version", "mode", "sessions", "channels", "bridges"})
    public record Health(@Schema(allowableValues = {"up", "down"}) String status, String engine, String version,
            String mode, int sessions, int channels, List<Bridge> bridges) {
    }

    @Schema(description = "A bridge to an outside system (bridges setting) and its state.")
    @JsonbPropertyOrder({"name", "state", "detail", "counters", "backlog"})
    public record Bridge(@Schema(description = "The bridge's name, e.g. kafka.") String name,
            @Schema(allowableValues = {"starting", "up", "down", "failed", "stopped"}) String state,
            @Schema(description = "One line saying where it is connected, or why it is not.") String detail,
            @Schema(description = "What it has done since it started, e.g. in, skipped, out, dropped.") Map<String, Long> counters,
            @Schema(nullable = true, description = "How many messages wait in the outside system for this node (Kafka: the "
                    + "consumer's lag summed over the partitions this node owns); null where the bridge has no such figure "
                    + "(it only sends, or it is not connected).") Long backlog) {
    }

    @Schema(description = "Whether the node is alive: answered 200 while it can answer at all.")
    public record Liveness(@Schema(allowableValues = {"up"}) String status) {
    }

    @Schema(description = "Whether the node is ready for new connections, and each thing that depends on.")
    @JsonbPropertyOrder({"status", "checks"})
    public record Readiness(@Schema(allowableValues = {"up", "down"}) String status, List<Check> checks) {
    }

    @Schema(description = "One thing readiness depends on: accepting (not draining or stopping), engine (reachable), and "
            + "bridge:NAME for each bridge that bridges.required names (up).")
    @JsonbPropertyOrder({"name", "status", "detail"})
    public record Check(String name, @Schema(allowableValues = {"up", "down"}) String status, String detail) {
    }

    @Schema(description = "One message of a batch publish.")
    @JsonbPropertyOrder({"channel", "data", "idempotencyKey"})
    public record BatchMessage(@Schema(description = "The channel to publish to.") String channel,
            @Schema(description = "The message; any JSON value but null.", implementation = Object.class) JsonValue data,
            @Schema(description = "Optional: the publisher's key for this message (as Idempotency-Key for one publish), 1-255 "
                    + "printable ASCII characters.", minLength = 1, maxLength = 255) String idempotencyKey) {
    }

    @Schema(description = "Messages to publish in one request, in order, to one or several channels.")
    @JsonbPropertyOrder({"messages"})
    public record BatchRequest(@ArraySchema(minItems = 1) List<BatchMessage> messages) {
    }

    @Schema(description = "What became of one message of a batch. `published`: stored and delivered now; `duplicate`: "
            + "published before with the same idempotency key (epoch and offset are that publish's); `failed`: refused "
            + "(`code`, `detail`), and nothing after it was published; `skipped`: not attempted because an earlier message failed.")
    @JsonbPropertyOrder({"channel", "status", "epoch", "offset", "code", "detail"})
    public record BatchItemResult(String channel,
            @Schema(allowableValues = {"published", "duplicate", "failed", "skipped"}) String status,
            @Schema(nullable = true, description = "For published and duplicate.") String epoch,
            @Schema(nullable = true, description = "For published and duplicate.") Long offset,
            @Schema(nullable = true, description = "For failed: the error code.") String code,
            @Schema(nullable = true, description = "For failed: what was wrong.") String detail) {
    }

    @Schema(description = "One result per message of the batch, in the order of the request.")
    @JsonbPropertyOrder({"results"})
    public record BatchResult(List<BatchItemResult> results) {
    }

    @Schema(description = "An error, as RFC 9457 problem details; `code` is one of protocol v1's stable error codes (new "
            + "codes may be added: treat an unknown one like its HTTP status).")
    @JsonbPropertyOrder({"type", "title", "status", "detail", "code", "instance"})
    public record Problem(String type, String title, int status, String detail, String code,
            @Schema(nullable = true) String instance) {
    }
}
