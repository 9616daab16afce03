package dev.sigmacep.sigma.match;

import dev.sigmacep.field.EventPredicate;
import dev.sigmacep.sigma.SigmaRuleException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sigmacep.sigma.match.TestEvent.compile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** fieldref: comparing two fields of the same event. */
class FieldReferenceTest {

    @Test
    void equalsTheOtherFieldCaseInsensitively() throws Exception {
        // from SigmaHQ file_delete_win_delete_own_image: TargetFilename|fieldref: Image
        EventPredicate sameFile = compile("TargetFilename|fieldref", "Image");
        assertThat(sameFile.test(TestEvent.of("TargetFilename", "C:\\x\\a.EXE", "Image", "c:\\X\\a.exe"))).isTrue();
        assertThat(sameFile.test(TestEvent.of("TargetFilename", "C:\\x\\b.exe", "Image", "C:\\x\\a.exe"))).isFalse();
        assertThat(sameFile.test(TestEvent.of("TargetFilename", "C:\\x\\a.exe"))).isFalse();
        assertThat(sameFile.test(TestEvent.of("Image", "C:\\x\\a.exe"))).isFalse();
    }

    @Test
    void otherFieldValueIsPlainTextNotAPattern() throws Exception {
        EventPredicate same = compile("A|fieldref", "B");
        assertThat(same.test(TestEvent.of("A", "abc", "B", "a*"))).isFalse();
        assertThat(same.test(TestEvent.of("A", "a*", "B", "a*"))).isTrue();
    }

    @Test
    void casedComparesCaseSensitively() throws Exception {
        EventPredicate same = compile("User|fieldref|cased", "ParentUser");
        assertThat(same.test(TestEvent.of("User", "Bob", "ParentUser", "bob"))).isFalse();
        assertThat(same.test(TestEvent.of("User", "Bob", "ParentUser", "Bob"))).isTrue();
    }

    @Test
    void neqMatchesDifferentValues() throws Exception {
        EventPredicate crossUser = compile("User|fieldref|neq", "ParentUser");
        assertThat(crossUser.test(TestEvent.of("User", "alice", "ParentUser", "bob"))).isTrue();
        assertThat(crossUser.test(TestEvent.of("User", "ALICE", "ParentUser", "alice"))).isFalse();
    }

    @Test
    void positionModifiersLookForTheOtherValueInside() throws Exception {
        EventPredicate contains = compile("CommandLine|fieldref|contains", "TargetFilename");
        assertThat(contains.test(TestEvent.of("CommandLine", "del /f C:\\T\\x.exe", "TargetFilename", "c:\\t\\X.exe"))).isTrue();
        assertThat(contains.test(TestEvent.of("CommandLine", "del /f", "TargetFilename", "c:\\t\\X.exe"))).isFalse();
        EventPredicate startsWith = compile("Image|startswith|fieldref", "Dir");
        assertThat(startsWith.test(TestEvent.of("Image", "C:\\app\\a.exe", "Dir", "C:\\APP\\"))).isTrue();
        assertThat(startsWith.test(TestEvent.of("Image", "D:\\C:\\app\\a.exe", "Dir", "C:\\APP\\"))).isFalse();
        EventPredicate endsWith = compile("Image|endswith|fieldref", "Name");
        assertThat(endsWith.test(TestEvent.of("Image", "C:\\app\\a.exe", "Name", "A.exe"))).isTrue();
        assertThat(endsWith.test(TestEvent.of("Image", "a.exe", "Name", "C:\\app\\a.exe"))).isFalse();
    }

    @Test
    void numbersAndListsCompareByValue() throws Exception {
        EventPredicate samePid = compile("ProcessId|fieldref", "ParentProcessId");
        assertThat(samePid.test(TestEvent.of("ProcessId", 42L, "ParentProcessId", 42))).isTrue();
        assertThat(samePid.test(TestEvent.of("ProcessId", "42", "ParentProcessId", 42L))).isTrue();
        assertThat(samePid.test(TestEvent.of("ProcessId", 42L, "ParentProcessId", 43L))).isFalse();
        EventPredicate shared = compile("A|fieldref", "B");
        assertThat(shared.test(TestEvent.of("A", List.of("x", "y"), "B", List.of("z", "Y")))).isTrue();
        assertThat(shared.test(TestEvent.of("A", List.of("x", "y"), "B", List.of("z")))).isFalse();
    }

    @Test
    void listOfReferencesIsOrOrAllAnd() throws Exception {
        EventPredicate any = compile("User|fieldref", List.of("SubjectUserName", "TargetUserName"));
        assertThat(any.test(TestEvent.of("User", "bob", "SubjectUserName", "alice", "TargetUserName", "bob"))).isTrue();
        EventPredicate all = compile("User|fieldref|all", List.of("SubjectUserName", "TargetUserName"));
        assertThat(all.test(TestEvent.of("User", "bob", "SubjectUserName", "alice", "TargetUserName", "bob"))).isFalse();
        assertThat(all.test(TestEvent.of("User", "bob", "SubjectUserName", "BOB", "TargetUserName", "bob"))).isTrue();
    }

    @Test
    void invalidFieldReferences() {
        assertThatThrownBy(() -> compile("User|fieldref", "Parent*"))
                .isInstanceOf(SigmaRuleException.class)
                .hasMessage("field reference 'Parent*' in 'User|fieldref' must be a field name, without wildcards");
        assertThatThrownBy(() -> compile("|fieldref", "User"))
                .isInstanceOf(SigmaRuleException.class)
                .hasMessage("modifier 'fieldref' needs a field name, in '|fieldref'");
        assertThatThrownBy(() -> compile("User|fieldref|re", "User"))
                .isInstanceOf(SigmaRuleException.class)
                .hasMessage("modifier 're' cannot be combined with 'fieldref' in 'User|fieldref|re'");
        assertThatThrownBy(() -> compile("User|fieldref|windash", "User"))
                .isInstanceOf(SigmaRuleException.class)
                .hasMessage("modifier 'windash' cannot be combined with 'fieldref' in 'User|fieldref|windash'");
    }
}
