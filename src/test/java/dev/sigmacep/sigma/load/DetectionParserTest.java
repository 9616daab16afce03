package dev.sigmacep.sigma.load;

import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.model.Condition;
import dev.sigmacep.sigma.model.Condition.And;
import dev.sigmacep.sigma.model.Condition.Identifier;
import dev.sigmacep.sigma.model.Condition.Not;
import dev.sigmacep.sigma.model.Condition.Or;
import dev.sigmacep.sigma.model.Detection;
import dev.sigmacep.sigma.model.FieldItem;
import dev.sigmacep.sigma.model.Modifier;
import dev.sigmacep.sigma.model.Search;
import dev.sigmacep.sigma.yaml.SigmaYaml;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DetectionParserTest {

    @SuppressWarnings("unchecked")
    private static Detection parse(String detectionYaml) throws SigmaRuleException {
        Map<String, Object> document = (Map<String, Object>) SigmaYaml.loadOne("detection:\n" + detectionYaml.indent(4));
        return DetectionParser.parse((Map<String, Object>) document.get("detection"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void readsIdentifiersItemsModifiersAndTheConditionTree() throws Exception {
        Detection detection = parse("""
                selection:
                    Image|endswith: ['\\wermgr.exe', '\\WerFault.exe']
                    CommandLine|contains|all: [a, b]
                filter_any:
                    - User: SYSTEM
                    - IntegrityLevel: System
                keywords: [mimikatz, sekurlsa]
                condition: (selection or keywords) and not 1 of filter_*
                """);

        assertThat(detection.identifiers()).extracting(i -> i.name()).containsExactly("selection", "filter_any", "keywords");
        Search.FieldMaps selection = (Search.FieldMaps) detection.identifiers().get(0).search();
        assertThat(selection.alternatives()).hasSize(1);
        FieldItem image = selection.alternatives().get(0).get(0);
        assertThat(image.spec().field()).isEqualTo("Image");
        assertThat(image.spec().modifiers()).containsExactly(Modifier.ENDSWITH);
        assertThat((List<Object>) image.values()).containsExactly("\\wermgr.exe", "\\WerFault.exe");
        assertThat(selection.alternatives().get(0).get(1).spec().modifiers()).containsExactly(Modifier.CONTAINS, Modifier.ALL);
        assertThat(((Search.FieldMaps) detection.identifiers().get(1).search()).alternatives()).hasSize(2);
        Search.Keywords keywords = (Search.Keywords) detection.identifiers().get(2).search();
        assertThat(keywords.item().spec().isKeyword()).isTrue();
        assertThat((List<Object>) keywords.item().values()).containsExactly("mimikatz", "sekurlsa");

        assertThat(detection.condition()).isEqualTo(new And(List.of(
                new Or(List.of(new Identifier("selection"), new Identifier("keywords"))),
                new Not(new Identifier("filter_any")))));
    }

    @Test
    void quantifiersSelectIdentifiersInTheOrderWritten() throws Exception {
        Condition condition = parse("""
                sel_b: {A: 1}
                sel_a: {B: 2}
                _hidden: {C: 3}
                condition: all of them
                """).condition();
        assertThat(condition).isEqualTo(new And(List.of(new Identifier("sel_b"), new Identifier("sel_a"))));
    }

    @Test
    void errorsNameTheSearchIdentifierAndField() {
        assertThatThrownBy(() -> parse("sel: {Image|endswith|startswith: x}\ncondition: sel"))
                .hasMessage("search identifier 'sel', field 'Image|endswith|startswith': modifier 'startswith' cannot be"
                        + " combined with 'endswith' in 'Image|endswith|startswith'");
        assertThatThrownBy(() -> parse("sel: {Image: {a: b}}\ncondition: sel"))
                .hasMessageStartingWith("search identifier 'sel', field 'Image': values must be plain values");
        assertThatThrownBy(() -> parse("sel: [{A: 1}, x]\ncondition: sel"))
                .hasMessage("search identifier 'sel' mixes maps and plain values in one list");
        assertThatThrownBy(() -> parse("sel: {A: 1}\ncondition: sel and other"))
                .hasMessage("condition 'sel and other' references unknown search identifier 'other' at column 9");
        assertThatThrownBy(() -> parse("sel: {A: 1}"))
                .hasMessage("detection has no condition");
    }
}
