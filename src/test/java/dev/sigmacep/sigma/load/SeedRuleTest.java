package dev.sigmacep.sigma.load;

import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.rule.Logsource;
import dev.sigmacep.sigma.rule.RulePack;
import dev.sigmacep.sigma.rule.CompiledRule;
import dev.sigmacep.sigma.rule.SigmaRule;
import dev.sigmacep.testing.SharedData;
import dev.sigmacep.testing.TestEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** SigmaHQ rule 396f6630 (Suspicious Child Process Of Wermgr.EXE), loaded from the shared SigmaHQ snapshot. */
class SeedRuleTest {
    private static final String WERMGR = "C:\\Windows\\System32\\wermgr.exe";
    private static final String RUNDLL32 = "C:\\Windows\\System32\\rundll32.exe";
    private static SigmaRule rule;
    private static CompiledRule compiled;

    @BeforeAll
    static void load() throws Exception {
        Path file = SharedData.path(
                "data/sigma/rules/windows/process_creation/proc_creation_win_wermgr_susp_child_process.yml");
        RulePack pack = new RuleLoader(MatchContext.empty()).load(RuleLoader.readSources(List.of(file)));
        assertThat(pack.errors()).isEmpty();
        assertThat(pack.rules()).hasSize(1);
        rule = pack.rules().get(0);
        compiled = pack.compiled().get(0);
    }

    private static TestEvent child(String parent, String image, String commandLine) {
        return TestEvent.of("EventID", 1, "Channel", "Microsoft-Windows-Sysmon/Operational",
                "ParentImage", parent, "Image", image, "CommandLine", commandLine);
    }

    @Test
    void keepsAllMetadataAsWritten() {
        assertThat(rule.id()).isEqualTo("396f6630-f3ac-44e3-bfc8-1b161bc00c4e");
        assertThat(rule.title()).isEqualTo("Suspicious Child Process Of Wermgr.EXE");
        assertThat(rule.level()).isEqualTo("high");
        assertThat(rule.status()).isEqualTo("test");
        assertThat(rule.tags()).containsExactly("attack.privilege-escalation", "attack.stealth", "attack.t1055",
                "attack.t1036");
        assertThat(rule.logsource()).isEqualTo(new Logsource("windows", "process_creation", null));
        assertThat(rule.attributes())
                .containsEntry("date", "2022-10-14")
                .containsEntry("modified", "2024-08-29")
                .containsEntry("author", "Florian Roth (Nextron Systems)")
                .containsEntry("falsepositives", List.of("Unknown"))
                .containsEntry("related", List.of(Map.of("id", "5394fcc7-aeb2-43b5-9a09-cac9fc5edcd5", "type", "similar")))
                .containsKeys("description", "references");
        assertThat((List<?>) rule.attributes().get("references")).hasSize(3);
    }

    @Test
    void selectionMatchesCmdChildOfWermgr() {
        assertThat(compiled.matches(child(WERMGR, "C:\\Windows\\System32\\cmd.exe", "cmd.exe /c whoami"))).isTrue();
        assertThat(compiled.matches(child(WERMGR.toUpperCase(), "C:\\WINDOWS\\SYSTEM32\\CMD.EXE", "cmd"))).isTrue();
        assertThat(compiled.matches(child("C:\\Windows\\explorer.exe", "C:\\Windows\\System32\\cmd.exe", "cmd"))).isFalse();
        assertThat(compiled.matches(child(WERMGR, "C:\\Windows\\System32\\notepad.exe", "notepad"))).isFalse();
    }

    @Test
    void filterExcludesExactlyTheLegitimateRundll32Call() {
        String legit = "rundll32.exe C:\\Windows\\system32\\WerConCpl.dll, LaunchErcApp -queuereporting";
        assertThat(compiled.matches(child(WERMGR, RUNDLL32, legit))).isFalse();
        assertThat(compiled.matches(child(WERMGR, RUNDLL32,
                "rundll32.exe C:\\Windows\\system32\\WerConCpl.dll, LaunchErcApp -responsepester"))).isFalse();

        // missing any part of the filter: the rule still fires
        assertThat(compiled.matches(child(WERMGR, RUNDLL32,
                "rundll32.exe C:\\Windows\\system32\\WerConCpl.dll, LaunchErcApp -other"))).isTrue();
        assertThat(compiled.matches(child(WERMGR, RUNDLL32,
                "rundll32.exe C:\\Windows\\system32\\Evil.dll, LaunchErcApp -queuereporting"))).isTrue();
        assertThat(compiled.matches(child(WERMGR, RUNDLL32,
                "rundll32.exe C:\\Windows\\system32\\WerConCpl.dll, Launch -queuereporting"))).isTrue();
        // the filter is for rundll32 only
        assertThat(compiled.matches(child(WERMGR, "C:\\Windows\\System32\\cmd.exe", legit))).isTrue();
    }
}
