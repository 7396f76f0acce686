package io.closedloop.sandbox.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** This JVM's peak used heap (sampled every 100 ms), peak RSS (VmHWM), CPU time, heap allocated and collectors' time. */
final class ProcessMeter implements AutoCloseable {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peakHeap = new AtomicLong();
    private final Thread sampler;
    private volatile boolean running = true;

    ProcessMeter() {
        sampler = new Thread(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sample() {
        peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
    }

    long peakHeapBytes() {
        sample();
        return peakHeap.get();
    }

    long maxHeapBytes() {
        return memory.getHeapMemoryUsage().getMax();
    }

    /** Peak resident set size in bytes from /proc/self/status (VmHWM), or -1 where there is no /proc. */
    static long peakRssBytes() {
        return statusKb("VmHWM:");
    }

    static long rssBytes() {
        return statusKb("VmRSS:");
    }

    private static long statusKb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    static double cpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return -1;
    }

    /**
     * Bytes this JVM's threads have allocated on the heap since it started (the JVM's approximation, exited threads
     * included); -1 where it cannot tell.
     */
    static long allocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                && threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()) {
            return threads.getTotalThreadAllocatedBytes();
        }
        return -1;
    }

    /** Seconds this JVM's collectors have spent collecting since it started (with G1: its pauses, young and full). */
    static double gcSeconds() {
        long ms = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms / 1000.0;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
