package dev.sigmacep.sigma.match;

import dev.sigmacep.field.EventPredicate;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sigmacep.sigma.match.TestEvent.compile;
import static org.assertj.core.api.Assertions.assertThat;

/** Keyword (field-less) search: a keyword is looked for anywhere in every field value of the event. */
class KeywordSearchTest {

    @Test
    void keywordListIsOrAndMatchesInsideAnyFieldValue() throws Exception {
        EventPredicate keywords = compile("", List.of("event::clear", "event::drop"));
        assertThat(keywords.test(TestEvent.of("CommandLine", "mimikatz.exe EVENT::Clear exit", "User", "bob"))).isTrue();
        assertThat(keywords.test(TestEvent.of("CommandLine", "mimikatz.exe", "User", "event::drop"))).isTrue();
        assertThat(keywords.test(TestEvent.of("CommandLine", "mimikatz.exe", "User", "bob"))).isFalse();
    }

    @Test
    void allKeywordsMustBeFoundEachInAnyField() throws Exception {
        EventPredicate keywords = compile("|all", List.of("OabVirtualDirectory", " -ExternalUrl "));
        assertThat(keywords.test(TestEvent.of("A", "Set-OabVirtualDirectory", "B", "x -ExternalUrl y"))).isTrue();
        assertThat(keywords.test(TestEvent.of("A", "Set-OabVirtualDirectory", "B", "x"))).isFalse();
    }

    @Test
    void keywordsSearchListValuesAndNumbers() throws Exception {
        assertThat(compile("", "evil").test(TestEvent.of("Tags", List.of("good", "so-evil")))).isTrue();
        assertThat(compile("", 4625).test(TestEvent.of("EventID", 4625L))).isTrue();
        assertThat(compile("", "4625").test(TestEvent.of("EventID", 4624L))).isFalse();
    }

    @Test
    void keywordWithAPositionModifierUsesIt() throws Exception {
        EventPredicate startsWith = compile("|startswith", "svchost");
        assertThat(startsWith.test(TestEvent.of("Image", "svchost.exe"))).isTrue();
        assertThat(startsWith.test(TestEvent.of("Image", "C:\\svchost.exe"))).isFalse();
    }

    @Test
    void keywordWildcardsStillApply() throws Exception {
        assertThat(compile("", "svchost*-k").test(TestEvent.of("CommandLine", "C:\\svchost.exe -k netsvcs"))).isTrue();
    }
}
