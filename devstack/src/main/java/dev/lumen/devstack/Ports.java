package dev.lumen.devstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Loopback ports: a free one on request, or a check that a chosen one is free. */
final class Ports {

    /** Every devstack server listens here only: it has fixed credentials and no TLS. */
    static final String LOOPBACK = "127.0.0.1";

    private Ports() {
    }

    /**
     * The port to listen on: a free random one for 0, otherwise {@code requested} once checked free.
     *
     * @param option the command-line option that chose the port, for the error message
     * @throws DevStackException when the requested port is in use
     */
    static int choose(int requested, String option) {
        if (requested < 0 || requested > 65535) {
            throw new DevStackException("Invalid port " + requested + " for " + option);
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(LOOPBACK, requested));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new DevStackException("Port " + LOOPBACK + ":" + requested + " is already in use ("
                    + e.getMessage() + "); choose another with " + option + " N, or " + option + " 0 for a random one");
        }
    }

    /**
     * Whether an HTTP server answers on the loopback port. Any status will do (S3 answers an
     * unsigned request with 403): an answer means the server has finished starting.
     */
    static boolean answersHttp(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 200);
            socket.setSoTimeout(2000);
            String request = "HEAD / HTTP/1.1\r\nHost: " + LOOPBACK + ":" + port + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            byte[] start = socket.getInputStream().readNBytes(5);
            return new String(start, StandardCharsets.US_ASCII).equals("HTTP/");
        } catch (IOException e) {
            return false;
        }
    }
}
