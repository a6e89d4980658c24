package dev.lumen.devstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

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

    /** Whether something accepts connections on the loopback port. */
    static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
