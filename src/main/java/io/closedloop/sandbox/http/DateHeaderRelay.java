package io.closedloop.sandbox.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK's HTTP server stamps every answer's {@code Date} header with the host's time; this relay in front of an
 * emulator stamps it from the emulator's clock instead, so an emulated API can run ahead of or behind the daemon.
 * Answers of the emulator always carry a Content-Length (or no body), which is all the relay reads.
 */
final class DateHeaderRelay implements AutoCloseable {
    private final Clock clock;
    private final int target;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "emulator-date-relay");
        t.setDaemon(true);
        return t;
    });
    private ServerSocket server;

    DateHeaderRelay(Clock clock, int target) {
        this.clock = clock;
        this.target = target;
    }

    /** Listens on {@code port} of the loopback interface (0 picks a free one). */
    DateHeaderRelay start(int port) throws IOException {
        server = new ServerSocket(port, 64, InetAddress.getLoopbackAddress());
        threads.submit(this::accept);
        return this;
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                threads.submit(() -> relay(client, upstream, () -> client.getInputStream().transferTo(upstream.getOutputStream())));
                threads.submit(() -> relay(client, upstream, () -> answers(upstream.getInputStream(), client.getOutputStream())));
            } catch (IOException e) {
                // closed, or the emulator is gone: the caller sees a reset like any dropped connection
            }
        }
    }

    private interface Pipe {
        void run() throws IOException;
    }

    private static void relay(Socket client, Socket upstream, Pipe pipe) {
        try {
            pipe.run();
        } catch (IOException e) {
            // one side went away; both are closed below
        } finally {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    /** Copies answer after answer, each header block with its Date replaced, then Content-Length bytes of body. */
    private void answers(InputStream raw, OutputStream out) throws IOException {
        InputStream in = new BufferedInputStream(raw);
        while (true) {
            String head = headerBlock(in);
            if (head == null) {
                return;
            }
            StringBuilder rewritten = new StringBuilder();
            long length = 0;
            for (String line : head.split("\r\n")) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("date:")) {
                    line = "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().atOffset(ZoneOffset.UTC));
                } else if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
                rewritten.append(line).append("\r\n");
            }
            out.write(rewritten.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(in.readNBytes((int) length));
            out.flush();
        }
    }

    /** The status line and headers up to the blank line, or null at the end of the stream. */
    private static String headerBlock(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            head.write(b);
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        if (matched < 4) {
            return null;
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - 4);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException e) {
            // already closed
        }
        threads.shutdownNow();
    }
}
