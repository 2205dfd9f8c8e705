package io.duplex.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU use from /proc: each core's busy share, and the CPU time of the server's processes and of the generator.
 * Server CPU per delivery is the steadiest figure on a shared machine: other load slows a run down, but barely
 * changes what each delivery costs.
 */
final class Cpu {
    /** Linux's USER_HZ: /proc counts CPU time in hundredths of a second. */
    static final double TICKS_PER_SECOND = 100;

    private final List<Long> serverPids;
    private final long[] coreTotal = new long[2];
    private final long[] coreIdle = new long[2];
    private final long[] coreIrq = new long[2];
    private long serverTicks;
    private long generatorTicks;
    private long startNanos;

    private Cpu(List<Long> serverPids) {
        this.serverPids = serverPids;
    }

    /** Starts a sample. */
    static Cpu start(List<Long> serverPids) {
        Cpu cpu = new Cpu(serverPids);
        cpu.startNanos = System.nanoTime();
        cpu.readCores(cpu.coreTotal, cpu.coreIdle, cpu.coreIrq);
        cpu.serverTicks = ticks(serverPids);
        cpu.generatorTicks = ticks(List.of(ProcessHandle.current().pid()));
        return cpu;
    }

    /** The sample from its start until now. */
    Usage stop() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long[] total = new long[2];
        long[] idle = new long[2];
        long[] irq = new long[2];
        readCores(total, idle, irq);
        double[] busy = new double[2];
        double irqShare = 0;
        for (int i = 0; i < 2; i++) {
            long t = total[i] - coreTotal[i];
            busy[i] = t <= 0 ? 0 : 1.0 - (double) (idle[i] - coreIdle[i]) / t;
            irqShare += t <= 0 ? 0 : (double) (irq[i] - coreIrq[i]) / t;
        }
        double server = (ticks(serverPids) - serverTicks) / TICKS_PER_SECOND;
        double generator = (ticks(List.of(ProcessHandle.current().pid())) - generatorTicks) / TICKS_PER_SECOND;
        return new Usage(seconds, busy[0], busy[1], server, generator, irqShare);
    }

    /**
     * What a sample saw: each core's busy share, CPU seconds used by the server and the generator, and the share of the
     * cores spent in interrupts (loopback networking is mostly softirq time, charged to no process).
     */
    record Usage(double seconds, double core0, double core1, double serverSeconds, double generatorSeconds, double irqShare) {
        double serverShare() {
            return seconds <= 0 ? 0 : serverSeconds / seconds;
        }

        double generatorShare() {
            return seconds <= 0 ? 0 : generatorSeconds / seconds;
        }

        /**
         * The share of the two cores (of 2.0) that other processes of the machine used meanwhile: noise. (Interrupt time,
         * the loopback network's work for both sides, is not counted here.)
         */
        double otherShare() {
            return Math.max(0, core0 + core1 - irqShare - serverShare() - generatorShare());
        }
    }

    private void readCores(long[] total, long[] idle, long[] irq) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                for (int core = 0; core < 2; core++) {
                    if (line.startsWith("cpu" + core + " ")) {
                        String[] f = line.trim().split("\\s+");
                        long sum = 0;
                        for (int i = 1; i < Math.min(f.length, 9); i++) {
                            sum += Long.parseLong(f[i]);
                        }
                        total[core] = sum;
                        idle[core] = Long.parseLong(f[4]) + Long.parseLong(f[5]);
                        irq[core] = Long.parseLong(f[6]) + Long.parseLong(f[7]);
                    }
                }
            }
        } catch (IOException e) {
            // not Linux: shares stay 0
        }
    }

    /** utime + stime of the processes (and their threads), in ticks. */
    static long ticks(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            try {
                sum += cpuTicks(Files.readString(Path.of("/proc/" + pid + "/stat")));
            } catch (IOException | RuntimeException e) {
                // the process is gone
            }
        }
        return sum;
    }

    /**
     * utime + stime of the JIT compiler threads of the processes ("C1 CompilerThre...", "C2 CompilerThre..."), in
     * ticks: while they still run, a Java server's rate is still changing.
     */
    static long compilerTicks(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                for (Path task : tasks.toList()) {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                            sum += cpuTicks(stat);
                        }
                    } catch (IOException | RuntimeException e) {
                        // the thread is gone
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
        }
        return sum;
    }

    /** utime + stime of a /proc stat line (fields 14 and 15; the name before them may hold spaces). */
    private static long cpuTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** Resident memory of a process in KiB (VmRSS), or -1. */
    static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            // gone
        }
        return -1;
    }
}
