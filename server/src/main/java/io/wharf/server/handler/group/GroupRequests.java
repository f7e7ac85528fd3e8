package io.wharf.server.handler.group;

import io.wharf.coordinator.group.GroupCoordinator;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.RequestContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;

/** What the group handlers share: reaching the coordinator, and the client's host as groups describe it. */
final class GroupRequests {

    private GroupRequests() {}

    /**
     * Runs {@code call} on the coordinator (creating and loading {@code __consumer_offsets} first if needed);
     * when the coordinator cannot come up, answers with {@code unavailable}.
     */
    static <T> CompletableFuture<T> withCoordinator(
            BrokerServices services,
            Function<GroupCoordinator, CompletableFuture<T>> call,
            java.util.function.Supplier<T> unavailable) {
        return services.groups().coordinator().thenCompose(call).exceptionally(failure -> unavailable.get());
    }

    /**
     * Runs {@code call} for each group id on the coordinator and collects the answers in request order; when the
     * coordinator cannot come up, each group gets {@code unavailable}'s answer.
     */
    static <G> CompletableFuture<List<G>> forEachGroup(
            BrokerServices services,
            List<String> groupIds,
            BiFunction<GroupCoordinator, String, CompletableFuture<G>> call,
            Function<String, G> unavailable) {
        return withCoordinator(
                services,
                coordinator -> {
                    List<CompletableFuture<G>> groups = groupIds.stream()
                            .map(id -> call.apply(coordinator, id))
                            .toList();
                    return CompletableFuture.allOf(groups.toArray(CompletableFuture[]::new))
                            .thenApply(v ->
                                    groups.stream().map(CompletableFuture::join).toList());
                },
                () -> groupIds.stream().map(unavailable).toList());
    }

    /** The client's address without its port, with Kafka's leading slash: "/127.0.0.1". */
    static String clientHost(RequestContext context) {
        String address = context.connection().remoteAddress();
        int colon = address.lastIndexOf(':');
        String host = colon > 0 ? address.substring(0, colon) : address;
        return host.startsWith("/") ? host : "/" + host;
    }
}
