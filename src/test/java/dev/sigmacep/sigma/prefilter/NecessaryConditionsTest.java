package dev.sigmacep.sigma.prefilter;

import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.load.DetectionParser;
import dev.sigmacep.sigma.model.Detection;
import dev.sigmacep.sigma.yaml.SigmaYaml;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NecessaryConditionsTest {

    /** The condition of a detection section written in YAML, rendered as its sorted atoms (or ALWAYS). */
    private static String of(String detectionYaml) {
        return NecessaryConditions.of(detection(detectionYaml)).toString();
    }

    @SuppressWarnings("unchecked")
    private static Detection detection(String yaml) {
        try {
            return DetectionParser.parse((Map<String, Object>) ((Map<String, Object>) SigmaYaml.loadOne(
                    "detection:\n" + yaml.indent(4))).get("detection"));
        } catch (SigmaRuleException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void positionModifiersAndPlainValuesGiveOneAtomPerValue() {
        assertThat(of("""
                sel:
                    Image|endswith: ['\\\\cmd.exe', '\\\\PowerShell.exe']
                condition: sel
                """)).isEqualTo("any(Image~'\\cmd.exe' | Image~'\\powershell.exe')");
        // AND: both, the more selective first (a whole value scores as if 8 chars longer)
        assertThat(of("sel: {CommandLine|contains: whoami, User: SYSTEM}\ncondition: sel"))
                .isEqualTo("any(User~'system') & any(CommandLine~'whoami')");
        assertThat(of("sel: {ParentImage|startswith: 'C:\\\\Temp\\\\'}\ncondition: sel"))
                .isEqualTo("any(ParentImage~'c:\\temp\\')");
    }

    @Test
    void wildcardsSplitTheValueAndTheLongestLiteralRunIsKept() {
        assertThat(of("sel: {CommandLine: '*\\\\AppData\\\\*\\\\x.dll*'}\ncondition: sel"))
                .isEqualTo("any(CommandLine~'\\appdata\\')");
        assertThat(of("sel: {CommandLine: 'abc?defgh*ij'}\ncondition: sel")).isEqualTo("any(CommandLine~'defgh')");
        assertThat(of("sel: {CommandLine: '*a*b?c*'}\ncondition: sel")).isEqualTo("ALWAYS"); // no run of 3
    }

    @Test
    void escapedWildcardsAndBackslashesAreLiterals() {
        assertThat(of("sel: {CommandLine|contains: 'ab\\*cdef'}\ncondition: sel")).isEqualTo("any(CommandLine~'ab*cdef')");
        assertThat(of("sel: {CommandLine|contains: 'abc\\?de'}\ncondition: sel")).isEqualTo("any(CommandLine~'abc?de')");
        // an escaped backslash followed by a wildcard: the wildcard is real
        assertThat(of("sel: {CommandLine|contains: 'abcd\\\\*xy'}\ncondition: sel")).isEqualTo("any(CommandLine~'abcd\\')");
        // a backslash before another char is a plain backslash
        assertThat(of("sel: {Image|endswith: '\\a.exe'}\ncondition: sel")).isEqualTo("any(Image~'\\a.exe')");
    }

    @Test
    void windashMakesEveryDashAWildcard() {
        assertThat(of("sel: {CommandLine|windash|contains: ' -enc ', Image: x}\ncondition: sel"))
                .isEqualTo("any(Image~'x') & any(CommandLine~'enc ')");
        assertThat(of("sel: {CommandLine|windash|contains: '/c'}\ncondition: sel")).isEqualTo("ALWAYS");
    }

    @Test
    void allAndCasedKeepLiterals() {
        assertThat(of("sel: {CommandLine|contains|all: ['sekurlsa', 'logonpasswords']}\ncondition: sel"))
                .isEqualTo("any(CommandLine~'logonpasswords') & any(CommandLine~'sekurlsa')");
        assertThat(of("sel: {CommandLine|contains|cased: 'MiniDump'}\ncondition: sel"))
                .isEqualTo("any(CommandLine~'minidump')");
    }

    @Test
    void aValueWithoutLiteralMakesTheWholeEntryAlways() {
        assertThat(of("sel: {Image|endswith: ['\\\\cmd.exe', '']}\ncondition: sel")).isEqualTo("ALWAYS");
        assertThat(of("sel: {Image|endswith: ['\\\\cmd.exe', 'ab']}\ncondition: sel")).isEqualTo("ALWAYS");
        assertThat(of("sel: {Image: ['\\\\cmd.exe', '']}\ncondition: sel")).isEqualTo("ALWAYS");
    }

    @Test
    void notOfAPlainContainsGivesExcludingAtoms() {
        assertThat(of("""
                selection: {Image|endswith: '\\\\rundll32.exe'}
                filter: {CommandLine|contains: 'shell32.dll'}
                condition: selection and not filter
                """)).isEqualTo("any(Image~'\\rundll32.exe') & not(any(CommandLine~'shell32.dll'))");
        assertThat(of("filter: {CommandLine|contains: 'shell32.dll'}\ncondition: not filter"))
                .isEqualTo("ALWAYS & not(any(CommandLine~'shell32.dll'))");
        // a filter that is one of several: any literal of a contains filter excludes, other filters add nothing
        assertThat(of("""
                selection: {Image|endswith: '\\\\x.exe'}
                filter_main_generic: {ImageLoaded|contains: ['C:\\\\Windows\\\\System32\\\\', 'C:\\\\Windows\\\\SysWOW64\\\\']}
                filter_main_temp: {ImageLoaded|startswith: 'C:\\\\Windows\\\\Temp\\\\', Image|contains: 'setup'}
                condition: selection and not 1 of filter_main_*
                """)).isEqualTo("any(Image~'\\x.exe') & not(any(ImageLoaded~'c:\\windows\\system32\\'"
                + " | ImageLoaded~'c:\\windows\\syswow64\\'))");
        // and both (a and b) or (b and a): an atom of a excludes the first, not the second
        assertThat(of("""
                sel1: {Image|endswith: '\\\\aaa.exe'}
                sel2: {Image|endswith: '\\\\bbb.exe'}
                f: {CommandLine|contains: 'shared-literal'}
                g: {CommandLine|contains: 'other-literal'}
                condition: (sel1 and not f) or (sel2 and not f and not g)
                """)).isEqualTo("any(Image~'\\aaa.exe' | Image~'\\bbb.exe') & not(any(CommandLine~'shared-literal'))");
    }

    @Test
    void onlyWholePlainCaseInsensitiveAsciiContainsLiteralsExclude() {
        for (String filter : new String[] {
                "{CommandLine|endswith: 'shell32.dll'}",           // position: presence is not enough
                "{CommandLine: 'shell32.dll'}",
                "{CommandLine|contains|cased: 'Shell32.dll'}",     // the automata ignore case
                "{CommandLine|contains: 'shell*32.dll'}",          // a wildcard inside
                "{CommandLine|contains|windash: '-shell32'}",
                "{CommandLine|contains: 'shell32.dll\u00e9'}",     // not ASCII
                "{CommandLine|contains: '" + "x".repeat(65) + "'}", // too long to keep whole
                "{CommandLine|contains: 'shell32', Image|contains: 'rundll32'}", // both must hold
                "['shell32.dll']",                                  // keywords
        }) {
            String detection = "selection: {Image|endswith: '\\\\rundll32.exe'}\nfilter: " + filter
                    + "\ncondition: selection and not filter";
            assertThat(of(detection)).as(filter).isEqualTo("any(Image~'\\rundll32.exe')");
        }
    }

    @Test
    void orUnitesAndIsAlwaysWhenAnyBranchIs() {
        assertThat(of("""
                a: {Image|endswith: '\\\\a.exe'}
                b: {CommandLine|contains: 'bbbb'}
                condition: a or b
                """)).isEqualTo("any(CommandLine~'bbbb' | Image~'\\a.exe')");
        assertThat(of("""
                a: {Image|endswith: '\\\\a.exe'}
                b: {CommandLine|re: 'b+'}
                condition: a or b
                """)).isEqualTo("ALWAYS");
    }

    @Test
    void quantifiersFollowTheConditionGrammar() {
        String identifiers = """
                selection_img: {Image|endswith: '\\\\x.exe'}
                selection_cli: {CommandLine|contains: 'longer literal'}
                _private: {Image|endswith: '\\\\p.exe'}
                """;
        assertThat(of(identifiers + "condition: 1 of selection_*"))
                .isEqualTo("any(CommandLine~'longer literal' | Image~'\\x.exe')");
        assertThat(of(identifiers + "condition: all of selection_*"))
                .isEqualTo("any(CommandLine~'longer literal') & any(Image~'\\x.exe')");
        assertThat(of(identifiers + "condition: 1 of them")).isEqualTo("any(CommandLine~'longer literal' | Image~'\\x.exe')");
        assertThat(of(identifiers + "condition: [selection_img, _private]")).isEqualTo("any(Image~'\\p.exe' | Image~'\\x.exe')");
    }

    @Test
    void anAndKeepsItsTwoMostSelectiveClausesAndWholeValuesRankHigh() {
        // HandleKatz: the call trace and the target are in every LSASS access, the access mask is rare
        assertThat(of("""
                sel:
                    TargetImage|endswith: '\\\\lsass.exe'
                    GrantedAccess: '0x1440'
                    CallTrace|startswith: 'C:\\\\Windows\\\\System32\\\\ntdll.dll+'
                condition: sel
                """)).isEqualTo("any(CallTrace~'\\system32\\ntdll.dll+') & any(GrantedAccess~'0x1440')");
    }

    @Test
    void theSecondClauseIsOnAnotherFieldWhenThereIsOne() {
        // two long call trace literals occur together in every call trace; the access mask is the better filter
        assertThat(of("""
                sel:
                    CallTrace|contains|all: [':\\\\Windows\\\\System32\\\\KERNELBASE.dll+', ':\\\\Windows\\\\SYSTEM32\\\\ntdll.dll+']
                    GrantedAccess: '0x1FFFFF'
                condition: sel
                """)).isEqualTo("any(CallTrace~'em32\\kernelbase.dll+') & any(GrantedAccess~'0x1fffff')");
    }

    @Test
    void anOrOfTwoClauseConditionsKeepsTwoClauses() {
        assertThat(of("""
                a: {Image|endswith: '\\\\aaaa.exe', CommandLine|contains: 'alpha-alpha'}
                b: {Image|endswith: '\\\\bbbb.exe', CommandLine|contains: 'beta-beta-beta'}
                condition: a or b
                """)).isEqualTo("any(CommandLine~'alpha-alpha' | CommandLine~'beta-beta-beta')"
                + " & any(Image~'\\aaaa.exe' | Image~'\\bbbb.exe')");
        // a clause implied by a kept one adds nothing
        assertThat(of("""
                a: {Image|endswith: ['\\\\aaaa.exe', '\\\\bbbb.exe']}
                b: {Image|endswith: '\\\\aaaa.exe'}
                condition: a and b
                """)).isEqualTo("any(Image~'\\aaaa.exe')");
    }

    @Test
    void listsOfMapsAreAlternatives() {
        assertThat(of("""
                sel:
                    - Image|endswith: '\\\\a.exe'
                    - {Image|endswith: '\\\\b.exe', CommandLine|contains: 'bbbbbbbb'}
                condition: sel
                """)).isEqualTo("any(CommandLine~'bbbbbbbb' | Image~'\\a.exe') & any(Image~'\\a.exe' | Image~'\\b.exe')");
    }

    @Test
    void constructsWithoutAProvableLiteralAreAlways() {
        for (String entry : new String[] {
                "sel: {CommandLine|re: 'mimi|katz'}\ncondition: sel", // a top-level alternative
                "sel: {CommandLine|base64offset|contains: 'mimikatz'}\ncondition: sel",
                "sel: {CommandLine|wide|base64offset|contains: 'mimikatz'}\ncondition: sel",
                "sel: {CommandLine|utf16le|contains: 'mimikatz'}\ncondition: sel",
                "sel: {DestinationIp|cidr: '10.0.0.0/8'}\ncondition: sel",
                "sel: {Image|exists: true}\ncondition: sel",
                "sel: {Image|fieldref: ParentImage}\ncondition: sel",
                "sel: {Image|neq: 'C:\\\\x.exe'}\ncondition: sel",
                "sel: {Image|expand: '%Programs%\\\\x.exe'}\ncondition: sel",
                "sel: {EventID|gt: 4000}\ncondition: sel",
                "sel: {Image: null}\ncondition: sel",
        }) {
            assertThat(of(entry)).as(entry).isEqualTo("ALWAYS");
        }
    }

    @Test
    void aRegexNeedsTheLiteralEveryMatchHolds() {
        assertThat(of("sel: {TargetFilename|re: '\\\\sessionresume_[a-zA-Z]{8}$'}\ncondition: sel"))
                .isEqualTo("any(TargetFilename~'\\sessionresume_')");
        assertThat(of("sel: {CommandLine|re|i: 'Invoke-Mimikatz'}\ncondition: sel"))
                .isEqualTo("any(CommandLine~'invoke-mimikatz')");
        assertThat(of("sel: {CommandLine|re: ['ab\\d+cd', 'xyz.*']}\ncondition: sel")).isEqualTo("ALWAYS"); // 'ab' is too short
    }

    @Test
    void keywordsAreLiteralsOfAnyField() {
        assertThat(of("keywords: ['sekurlsa::', 'Kiwi Legit']\ncondition: keywords"))
                .isEqualTo("any(~'kiwi legit' | ~'sekurlsa::')");
        assertThat(of("keywords: {'|all': ['sekurlsa::', 'logonpasswords']}\ncondition: keywords"))
                .isEqualTo("any(~'logonpasswords') & any(~'sekurlsa::')");
        assertThat(of("keywords: '*mimikatz*'\ncondition: keywords")).isEqualTo("any(~'mimikatz')");
        assertThat(of("keywords: ['sekurlsa::', 'ab']\ncondition: keywords")).isEqualTo("ALWAYS");
        assertThat(of("keywords: {'|base64offset|contains': 'mimikatz'}\ncondition: keywords")).isEqualTo("ALWAYS");
    }

    @Test
    void shortLiteralsAreUsedWhenTheyHoldANonAsciiCharacter() {
        assertThat(of("sel: {TargetFilename|contains: ['\u0410', '\u0435']}\ncondition: sel"))
                .isEqualTo("any(TargetFilename~'\u0430' | TargetFilename~'\u0435')");
        assertThat(of("sel: {CommandLine|contains: '\uD83D\uDE00'}\ncondition: sel")) // an emoji: no case
                .isEqualTo("any(CommandLine~'\uD83D\uDE00')");
        // a Deseret letter has a lower-case form: the matchers compare it by code point, which folding chars misses
        assertThat(of("sel: {CommandLine|contains: '\uD801\uDC00'}\ncondition: sel")).isEqualTo("ALWAYS");
        assertThat(of("sel: {CommandLine|contains: 'abcd\uD801\uDC00'}\ncondition: sel")).isEqualTo("any(CommandLine~'abcd')");
    }

    @Test
    void longLiteralsAreCutToTheirEnd() {
        String hash = "0123456789abcdef".repeat(4);
        assertThat(of("sel: {Hashes|contains: 'SHA256=" + hash + "'}\ncondition: sel"))
                .isEqualTo("any(Hashes~'" + hash.substring(44) + "')");
        assertThat(of("sel: {Image|endswith: '\\Microsoft\\Windows Defender\\MsMpEng.exe'}\ncondition: sel"))
                .isEqualTo("any(Image~'defender\\msmpeng.exe')");
    }

    @Test
    void numbersAndBooleansAreLiteralsByTheirStringForm() {
        assertThat(of("sel: {EventID: [4688, 4689]}\ncondition: sel")).isEqualTo("any(EventID~'4688' | EventID~'4689')");
        assertThat(of("sel: {Enabled: true}\ncondition: sel")).isEqualTo("any(Enabled~'true')");
        assertThat(of("sel: {Enabled|contains: 1}\ncondition: sel")).isEqualTo("ALWAYS"); // too short to search for
    }

    @Test
    void shortLiteralsAreUsedWhenTheyMustBeTheWholeValue() {
        assertThat(of("sel: {EventID: [16, 255]}\ncondition: sel")).isEqualTo("any(EventID~'16' | EventID~'255')");
        assertThat(of("sel: {Level: '4'}\ncondition: sel")).isEqualTo("any(Level~'4')");
        assertThat(of("sel: {Level: '4*'}\ncondition: sel")).isEqualTo("ALWAYS");
        assertThat(of("sel: {Level: '\\*'}\ncondition: sel")).isEqualTo("any(Level~'*')");
        assertThat(of("sel: {Level|startswith: 'ab'}\ncondition: sel")).isEqualTo("ALWAYS");
        assertThat(of("sel: {Flag|windash: '-a'}\ncondition: sel")).isEqualTo("ALWAYS");
        assertThat(of("keywords: ['ab']\ncondition: keywords")).isEqualTo("ALWAYS");
    }
}
