package dev.sigmacep.peers;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static dev.sigmacep.peers.SysmonLines.CMD;
import static dev.sigmacep.peers.SysmonLines.LOADER;
import static dev.sigmacep.peers.SysmonLines.RUNDLL32;
import static dev.sigmacep.peers.SysmonLines.WERFAULT;
import static dev.sigmacep.peers.SysmonLines.WERMGR;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** All five peers find exactly the expected matches in a small hand-made input. */
class PeersAgreeTest {
    /** The chains of {@link #input()} that must match. */
    static final int EXPECTED_MATCHES = 10;

    private static ChainEvent[] events;

    /** Hosts, each one scenario; every line of the file in shuffled order (the peers sort by time). */
    static List<String> input() {
        SysmonLines s = new SysmonLines(Instant.parse("2024-03-12T10:00:00Z"));
        Duration t0 = Duration.ZERO;

        // a full chain, with background of the same process in between: 1
        s.chain("WKS-01", "{g01}", t0, ofSeconds(5), ofMinutes(5));
        s.background("WKS-01", ofSeconds(2), "{g01}", WERMGR).background("WKS-01", ofMinutes(2), "{g01}", WERMGR);
        // C 31 minutes after A: 0
        s.chain("WKS-02", "{g02}", t0, ofSeconds(5), ofMinutes(31));
        // the start has arguments (unquoted, and quoted): 0
        s.processStart("WKS-03", t0, "{g03}", WERMGR, WERMGR + " -upload", "{p03}", LOADER)
                .connection("WKS-03", ofSeconds(5), "{g03}", WERMGR, "true", "203.0.113.50")
                .processStart("WKS-03", ofMinutes(1), "{c03}", CMD, CMD, "{g03}", WERMGR);
        s.processStart("WKS-03", t0, "{g03b}", WERFAULT, '"' + WERFAULT + "\" -u -p 4321", "{p03}", LOADER)
                .connection("WKS-03", ofSeconds(5), "{g03b}", WERFAULT, "true", "203.0.113.51")
                .processStart("WKS-03", ofMinutes(1), "{c03b}", CMD, CMD, "{g03b}", WERFAULT);
        // only loopback connections (IPv4 and IPv6): 0
        s.processStart("WKS-04", t0, "{g04}", WERMGR, WERMGR, "{p04}", LOADER)
                .connection("WKS-04", ofSeconds(5), "{g04}", WERMGR, "true", "127.0.0.1")
                .processStart("WKS-04", ofMinutes(1), "{c04}", CMD, CMD, "{g04}", WERMGR);
        s.processStart("WKS-04", t0, "{g04b}", WERMGR, WERMGR, "{p04}", LOADER)
                .connection("WKS-04", ofSeconds(5), "{g04b}", WERMGR, "true", "::1")
                .processStart("WKS-04", ofMinutes(1), "{c04b}", CMD, CMD, "{g04b}", WERMGR);
        // C before B (and no C after it): 0
        s.chain("WKS-05", "{g05}", t0, ofMinutes(3), ofMinutes(1));
        // the rundll32 WerConCpl.dll filter: 0; another rundll32 child: 1
        s.processStart("WKS-06", t0, "{g06}", WERMGR, WERMGR, "{p06}", LOADER)
                .connection("WKS-06", ofSeconds(5), "{g06}", WERMGR, "true", "203.0.113.50")
                .processStart("WKS-06", ofMinutes(1), "{c06}", RUNDLL32,
                        "C:\\Windows\\system32\\rundll32.exe C:\\Windows\\system32\\WerConCpl.dll LaunchErcApp -queuereporting",
                        "{g06}", WERMGR);
        s.processStart("WKS-06", ofMinutes(2), "{g06b}", WERMGR, WERMGR, "{p06}", LOADER)
                .connection("WKS-06", ofMinutes(3), "{g06b}", WERMGR, "true", "203.0.113.50")
                .processStart("WKS-06", ofMinutes(4), "{c06b}", RUNDLL32,
                        "C:\\Windows\\system32\\rundll32.exe C:\\Users\\Public\\x.dll,Start", "{g06b}", WERMGR);
        // two chains on one host, different GUIDs, interleaved: 2
        s.chain("WKS-07", "{g07a}", t0, ofMinutes(2), ofMinutes(4));
        s.chain("WKS-07", "{g07b}", ofMinutes(1), ofSeconds(30), ofMinutes(4));
        // C at A + 29:59.999: 1; at A + 30:00.000: 0
        s.chain("WKS-08", "{g08}", t0, ofSeconds(5), ofMinutes(30).minusMillis(1));
        s.chain("WKS-09", "{g09}", t0, ofSeconds(5), ofMinutes(30));
        // one alert per chain: a second C is not a second match: 1
        s.chain("WKS-10", "{g10}", t0, ofSeconds(5), ofMinutes(5))
                .processStart("WKS-10", ofMinutes(6), "{c10x}", CMD, CMD, "{g10}", WERMGR);
        // two starts of one key before B and C (a WER process GUID reused): 1
        s.chain("WKS-11", "{g11}", t0, ofSeconds(5), ofMinutes(5))
                .processStart("WKS-11", ofSeconds(2), "{g11}", WERMGR, WERMGR, "{p11}", LOADER);
        // A1 B1 A2 C1 B2 C2: skip past last event drops A2 with the first match: 1
        s.chain("WKS-12", "{g12}", t0, ofSeconds(5), ofMinutes(5))
                .processStart("WKS-12", ofMinutes(2), "{g12}", WERMGR, WERMGR, "{p12}", LOADER)
                .connection("WKS-12", ofMinutes(6), "{g12}", WERMGR, "true", "203.0.113.50")
                .processStart("WKS-12", ofMinutes(7), "{c12b}", CMD, CMD, "{g12}", WERMGR);
        // A1 B1 A2 B2 C: A1 has expired at C, A2 has not: 1
        s.processStart("WKS-13", t0, "{g13}", WERMGR, WERMGR, "{p13}", LOADER)
                .connection("WKS-13", ofMinutes(1), "{g13}", WERMGR, "true", "203.0.113.50")
                .processStart("WKS-13", ofMinutes(20), "{g13}", WERMGR, WERMGR, "{p13}", LOADER)
                .connection("WKS-13", ofMinutes(21), "{g13}", WERMGR, "true", "203.0.113.50")
                .processStart("WKS-13", ofMinutes(35), "{c13}", CMD, CMD, "{g13}", WERMGR);
        // case-insensitive images, trailing blanks after the program, Initiated "True": 1
        s.processStart("WKS-14", t0, "{g14}", "C:\\WINDOWS\\system32\\WERFAULT.EXE",
                        "C:\\WINDOWS\\system32\\WERFAULT.EXE   ", "{p14}", LOADER)
                .connection("WKS-14", ofSeconds(5), "{g14}", "C:\\WINDOWS\\system32\\WERFAULT.EXE", "True", "2001:db8::7")
                .processStart("WKS-14", ofMinutes(1), "{c14}", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\PowerShell.EXE",
                        "powershell -nop", "{g14}", "C:\\WINDOWS\\system32\\WERFAULT.EXE");
        // the connection was not initiated by the process: 0
        s.processStart("WKS-15", t0, "{g15}", WERMGR, WERMGR, "{p15}", LOADER)
                .connection("WKS-15", ofSeconds(5), "{g15}", WERMGR, "false", "203.0.113.50")
                .processStart("WKS-15", ofMinutes(1), "{c15}", CMD, CMD, "{g15}", WERMGR);
        // the shell's parent is not WER (but has the WER process's GUID as parent GUID): 0
        s.processStart("WKS-16", t0, "{g16}", WERMGR, WERMGR, "{p16}", LOADER)
                .connection("WKS-16", ofSeconds(5), "{g16}", WERMGR, "true", "203.0.113.50")
                .processStart("WKS-16", ofMinutes(1), "{c16}", CMD, CMD, "{g16}", "C:\\Windows\\explorer.exe");
        // a host with background only
        for (int i = 0; i < 20; i++) s.background("WKS-17", ofSeconds(17L * i), "{b17-" + i % 3 + "}", CMD);

        List<String> lines = new ArrayList<>(s.lines());
        Collections.shuffle(lines, new Random(42));
        return lines;
    }

    @BeforeAll
    static void parse() {
        events = ChainInput.parse(input());
    }

    @Test
    void inputIsSortedAndClassified() {
        for (int i = 1; i < events.length; i++) {
            assertEquals(true, events[i - 1].ts <= events[i].ts, "sorted at " + i);
            assertEquals(i, events[i].seq);
        }
        long a = Stream.of(events).filter(e -> e.kind == ChainEvent.START).count();
        long b = Stream.of(events).filter(e -> e.kind == ChainEvent.CONNECT).count();
        long c = Stream.of(events).filter(e -> e.kind == ChainEvent.CHILD).count();
        // A: none on WKS-03 (arguments); B: none on WKS-04 (loopback) and WKS-15 (not initiated);
        // C: not the filtered rundll32 (WKS-06) and not WKS-16's (parent not WER)
        assertEquals(21, a);
        assertEquals(19, b);
        assertEquals(20, c);
    }

    static Stream<String> peers() {
        return PeerMain.PEERS.stream();
    }

    @ParameterizedTest
    @MethodSource("peers")
    void findsTheExpectedMatches(String name) throws Exception {
        try (Peer peer = PeerMain.create(name, PeerMain.Options.defaults())) {
            peer.open();
            assertEquals(EXPECTED_MATCHES, peer.run(events).matches(), name);
            assertEquals(EXPECTED_MATCHES, peer.run(events).matches(), name + ", second run on fresh state");
        }
    }

    @ParameterizedTest
    @MethodSource("peers")
    void findsTheExpectedMatchesWithBackgroundInsideTheEngine(String name) throws Exception {
        // and Esper with a keyed context instead of key filters, Flink with a shorter watermark bound
        PeerMain.Options options = new PeerMain.Options("context", false, ofMillis(500));
        try (Peer peer = PeerMain.create(name, options)) {
            peer.open();
            assertEquals(EXPECTED_MATCHES, peer.run(events).matches(), name);
        }
    }
}
