package dev.sigmacep.sigma.route;

import dev.sigmacep.event.Event;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.prefilter.CandidateSet;
import dev.sigmacep.sigma.prefilter.RouteFilter;
import dev.sigmacep.sigma.prefilter.RulePrefilter;
import dev.sigmacep.sigma.rule.RulePack;
import dev.sigmacep.sigma.rule.CompiledRule;
import dev.sigmacep.testing.SharedData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the whole SigmaHQ pack on real events (keyword rules included), selecting the candidate rules allocates
 * nothing per event once warm. (Evaluating the candidates is the matchers' business: see {@link MatchAllocationTest}.)
 */
class PrefilterAllocationTest {

    @Test
    void selectingCandidatesOfRealEventsAllocatesNothing() throws IOException {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                || !threads.isThreadAllocatedMemorySupported()) {
            Assumptions.abort("thread allocation counting is not available on this JVM");
            return;
        }
        RulePack rules = new RuleLoader(MatchContext.empty()).load(RuleLoader.readSources(List.of(
                SharedData.path("data/sigma/rules/windows"), Path.of("rules"))));
        CompiledRulePack pack = CompiledRulePack.compile(rules.compiled());
        RulePrefilter prefilter = RulePrefilter.of(rules.compiled().stream().map(CompiledRule::necessaryCondition).toList());
        List<Event> events = PrefilterDifferentialTest.decode(SharedData.path(
                "data/telemetry/security-datasets/archives/datasets/compound/LSASS_campaign_05/"
                        + "metasploit_sharpdump_lsass_memory_dump.zip"));
        Map<int[], RouteFilter> routes = new IdentityHashMap<>();
        RouteFilter[] routeOfEvent = events.stream()
                .map(event -> routes.computeIfAbsent(pack.candidates(event), prefilter::forRoute))
                .toArray(RouteFilter[]::new);
        CandidateSet candidates = prefilter.newCandidateSet();
        long selected = 0;
        // warm up: class loading, JIT compilation and the scan caches' growth (bounded, see ScanCache) allocate;
        // a steady pass must not, however many rounds it takes to get there
        long thread = Thread.currentThread().getId();
        long allocated = Long.MAX_VALUE;
        int round = 0;
        for (; round < 12 && (round < 4 || allocated >= 1024); round++) {
            long before = threads.getThreadAllocatedBytes(thread);
            selected += select(prefilter, events, routeOfEvent, candidates);
            allocated = threads.getThreadAllocatedBytes(thread) - before;
        }
        assertThat(selected).isPositive();
        assertThat(allocated).as("bytes allocated selecting for %d events, in round %d", events.size(), round)
                .isLessThan(1024);
    }

    private static long select(RulePrefilter prefilter, List<Event> events, RouteFilter[] routes,
                               CandidateSet candidates) {
        long selected = 0;
        for (int i = 0; i < events.size(); i++) {
            prefilter.select(events.get(i), routes[i], candidates);
            selected += Long.bitCount(candidates.word(0));
        }
        return selected;
    }
}
