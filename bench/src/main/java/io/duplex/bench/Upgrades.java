package io.duplex.bench;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

/**
 * How fast a crowd gets back after a proxy reload: N connections opened with {@code inFlight} handshakes at a time,
 * each counted when usable (the upgrade answered 101 and the protocol's hello done: Duplex's connect, Socket.IO's
 * namespace connect, the bare endpoint's first round trip). Run twice, the first as a warm-up.
 */
final class Upgrades {
    private Upgrades() {
    }

    static Json run(Bench bench, Target target, int n, int inFlight) throws Exception {
        Json json = null;
        for (int round = 0; round < 2; round++) {
            InetAddress[] sources = {InetAddress.getByName("127.0.0." + (10 + round + 4 * bench.upgradeRounds++))};
            try (Loop loop = new Loop(target.address)) {
                Crowd crowd = new Crowd(loop, target.wire, new String[] {bench.runId + ".up"}, sources, inFlight);
                AutoCloseable recording = round == 1 ? Profiler.record(bench, target, "upgrades") : () -> { };
                Cpu cpu = Cpu.start(target.pids);
                long started = System.nanoTime();
                crowd.open(n, false, false, 600);
                double seconds = (System.nanoTime() - started) / 1e9;
                Cpu.Usage usage = cpu.stop();
                recording.close();
                long failed = loop.call(crowd::failedOpens);
                crowd.abortAll();
                json = Json.of("upgrades", target.name).put("connections", n).put("in_flight", inFlight)
                        .put("upgrades_per_s", n / seconds).put("seconds", seconds)
                        .put("server_us_per_upgrade", usage.serverSeconds() * 1e6 / n)
                        .put("core0_busy", usage.core0()).put("core1_busy", usage.core1())
                        .put("server_cpu_share", usage.serverShare()).put("generator_cpu_share", usage.generatorShare())
                        .put("irq_cpu_share", usage.irqShare()).put("other_cpu_share", usage.otherShare())
                        .put("generator_bound", usage.generatorShare() >= FanOut.GENERATOR_BUSY).put("failed", failed)
                        .put("round", round + 1);
                bench.progress(json.toString());
            }
            // Let the server finish closing them before the next round or scenario.
            TimeUnit.SECONDS.sleep(3);
        }
        return json;
    }
}
