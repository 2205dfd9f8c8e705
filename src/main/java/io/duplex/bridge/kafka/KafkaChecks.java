package io.duplex.bridge.kafka;

import io.duplex.config.DuplexConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * What the bridge checks once the cluster answers, before it relies on it: the topics it names exist, and, on the memory
 * engine, no other node consumes the group already. The memory engine delivers a message to this node's subscribers
 * only; two nodes sharing the group would each show their subscribers the records of their own partitions, so a node
 * on the memory engine that finds members in the group refuses to start.
 */
final class KafkaChecks {
    private final DuplexConfig.Kafka kafka;
    private final Admin admin;
    private final boolean sharedEngine;

    KafkaChecks(DuplexConfig.Kafka kafka, Admin admin, boolean sharedEngine) {
        this.kafka = kafka;
        this.admin = admin;
        this.sharedEngine = sharedEngine;
    }

    /** Completes with what is wrong, or null when nothing is; fails when the cluster did not answer. */
    CompletableFuture<String> run() {
        Map<String, String> topics = new LinkedHashMap<>();
        kafka.inTopics().forEach(topic -> topics.put(topic, "kafka.in.topics"));
        kafka.outTopic().ifPresent(topic -> topics.putIfAbsent(topic, "kafka.out.topic"));
        CompletableFuture<String> topicCheck = topics.isEmpty() ? CompletableFuture.completedFuture(null) : missing(topics);
        if (!kafka.inbound() || sharedEngine) {
            return topicCheck;
        }
        return topicCheck.thenCompose(problem -> problem != null ? CompletableFuture.completedFuture(problem) : groupCheck());
    }

    private CompletableFuture<String> missing(Map<String, String> topics) {
        Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(topics.keySet()).topicNameValues();
        List<CompletableFuture<String>> each = new ArrayList<>();
        described.forEach((topic, future) -> each.add(future.toCompletionStage().toCompletableFuture()
                .handle((description, error) -> {
                    Throwable cause = unwrap(error);
                    if (cause == null) {
                        return null;
                    }
                    if (cause instanceof UnknownTopicOrPartitionException) {
                        return "topic " + topic + " (" + topics.get(topic) + ") does not exist in the cluster at "
                                + String.join(",", kafka.bootstrapServers()) + "; create it, or correct " + topics.get(topic);
                    }
                    throw new CompletionException(cause);
                })));
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<String> problems = each.stream().map(CompletableFuture::join).filter(p -> p != null).toList();
            return problems.isEmpty() ? null : String.join("; ", problems);
        });
    }

    private CompletableFuture<String> groupCheck() {
        return admin.describeConsumerGroups(List.of(kafka.groupId())).describedGroups().get(kafka.groupId())
                .toCompletionStage().toCompletableFuture().handle((group, error) -> {
                    Throwable cause = unwrap(error);
                    if (cause instanceof GroupIdNotFoundException) {
                        return null;
                    }
                    if (cause != null) {
                        throw new CompletionException(cause);
                    }
                    return members(group);
                });
    }

    private String members(ConsumerGroupDescription group) {
        if (group.members().isEmpty()) {
            return null;
        }
        List<String> who = new ArrayList<>();
        for (MemberDescription member : group.members()) {
            who.add(member.clientId() + " at " + member.host());
        }
        return "consumer group " + kafka.groupId() + " already has " + who.size() + (who.size() == 1 ? " member" : " members")
                + " (" + String.join(", ", who) + "), and this node runs engine=memory, which delivers a record to this "
                + "node's subscribers only: nodes sharing the group would each see the records of their own partitions. Run "
                + "every node with engine=redis, or give this node its own kafka.group.id. (A node restarted right after a "
                + "crash finds its old membership until kafka.session.timeout has passed: start it again then.)";
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** A client's failure in words, without Kafka's class names where a message says it. */
    static String reason(Throwable error) {
        Throwable cause = unwrap(error);
        while (cause.getCause() != null && cause.getCause() != cause && (cause.getMessage() == null
                || cause.getMessage().startsWith("Failed to create new"))) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
