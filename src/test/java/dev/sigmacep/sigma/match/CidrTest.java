package dev.sigmacep.sigma.match;

import dev.sigmacep.field.EventPredicate;
import dev.sigmacep.sigma.SigmaRuleException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static dev.sigmacep.sigma.match.TestEvent.compile;
import static dev.sigmacep.sigma.match.TestEvent.matches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** cidr with IPv4 and IPv6 networks. */
class CidrTest {

    @ParameterizedTest(name = "{0} in {1}: {2}")
    @CsvSource({
            "10.0.0.0/8, 10.255.3.4, true",
            "10.0.0.0/8, 11.0.0.1, false",
            "192.168.1.0/24, 192.168.1.77, true",
            "192.168.1.0/24, 192.168.2.1, false",
            "172.16.0.0/12, 172.31.255.255, true",
            "172.16.0.0/12, 172.32.0.0, false",
            "0.0.0.0/0, 8.8.8.8, true",
            "127.0.0.1, 127.0.0.1, true",
            "127.0.0.1, 127.0.0.2, false",
            "192.168.1.1/24, 192.168.1.200, true",
            "10.0.0.0/8, ::ffff:10.1.2.3, true",
            "10.0.0.0/8, ::FFFF:11.1.2.3, false",
            "10.0.0.0/8, 10.0.0, false",
            "10.0.0.0/8, 10.0.0.256, false",
            "10.0.0.0/8, 10.0.0.1.5, false",
            "10.0.0.0/8, fe80::1, false",
            "fe80::/10, fe80::1c2d:3e4f:5a6b:7c8d, true",
            "fe80::/10, FE80::1%11, true",
            "fe80::/10, febf:ffff::1, true",
            "fe80::/10, fec0::1, false",
            "fe80::/10, 10.0.0.1, false",
            "::1/128, ::1, true",
            "::1/128, 0:0:0:0:0:0:0:1, true",
            "::1/128, ::2, false",
            "2001:db8::/32, 2001:db8:85a3::8a2e:370:7334, true",
            "2001:db8::/32, 2001:0db9::1, false",
            "2001:db8::/32, 2001:db8:1:2:3:4:5:6:7, false",
            "2001:db8::/32, 2001:db8::1::2, false",
            "2001:db8::/32, 2001:db8:, false",
            "2001:db8::/32, 2001:db8:0:0:0:0:0:1, true",
            "2001:db8:0:0:0:0:0:1/128, 2001:db8::1, true",
            "::ffff:0:0/96, ::ffff:1.2.3.4, true",
            "64:ff9b::/96, 64:ff9b::192.0.2.33, true",
    })
    void addressInNetwork(String cidr, String address, boolean expected) throws Exception {
        assertThat(matches("DestinationIp|cidr", cidr, address)).isEqualTo(expected);
    }

    @Test
    void cidrListIsOrAndNeqNegates() throws Exception {
        List<String> privateRanges = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7");
        EventPredicate internal = compile("DestinationIp|cidr", privateRanges);
        assertThat(internal.test(TestEvent.of("DestinationIp", "172.20.1.1"))).isTrue();
        assertThat(internal.test(TestEvent.of("DestinationIp", "fd12::1"))).isTrue();
        assertThat(internal.test(TestEvent.of("DestinationIp", "8.8.8.8"))).isFalse();
        EventPredicate external = compile("DestinationIp|cidr|neq", privateRanges);
        assertThat(external.test(TestEvent.of("DestinationIp", "8.8.8.8"))).isTrue();
        assertThat(external.test(TestEvent.of("DestinationIp", "10.1.1.1"))).isFalse();
    }

    @Test
    void nonStringValuesDoNotMatch() throws Exception {
        assertThat(matches("DestinationIp|cidr", "0.0.0.0/0", 167772161L)).isFalse();
    }

    @Test
    void invalidCidrIsRejected() {
        assertInvalid("10.0.0.0/33", "invalid CIDR '10.0.0.0/33' in 'DestinationIp|cidr': the prefix length must be a number from 0 to 32");
        assertInvalid("fe80::/129", "invalid CIDR 'fe80::/129' in 'DestinationIp|cidr': the prefix length must be a number from 0 to 128");
        assertInvalid("10.0.0.0/", "invalid CIDR '10.0.0.0/' in 'DestinationIp|cidr': the prefix length must be a number from 0 to 32");
        assertInvalid("10.0.0/8", "invalid CIDR '10.0.0/8' in 'DestinationIp|cidr': '10.0.0' is not an IPv4 or IPv6 address");
        assertInvalid("example.com/8", "invalid CIDR 'example.com/8' in 'DestinationIp|cidr': 'example.com' is not an IPv4 or IPv6 address");
        assertInvalid("10.*", "invalid CIDR '10.*' in 'DestinationIp|cidr': '10.*' is not an IPv4 or IPv6 address");
    }

    @Test
    void cidrChainsAreChecked() {
        assertThatThrownBy(() -> compile("DestinationIp|cidr|startswith", "10.0.0.0/8"))
                .isInstanceOf(SigmaRuleException.class)
                .hasMessage("modifier 'startswith' cannot be combined with 'cidr' in 'DestinationIp|cidr|startswith'");
        assertThatThrownBy(() -> compile("DestinationIp|contains|cidr", "10.0.0.0/8"))
                .isInstanceOf(SigmaRuleException.class)
                .hasMessage("modifier 'contains' cannot be combined with 'cidr' in 'DestinationIp|contains|cidr'");
        assertThatThrownBy(() -> compile("DestinationIp|cidr|re", "10.0.0.0/8"))
                .isInstanceOf(SigmaRuleException.class)
                .hasMessage("modifier 're' cannot be combined with 'cidr' in 'DestinationIp|cidr|re'");
    }

    private static void assertInvalid(String cidr, String reason) {
        assertThatThrownBy(() -> compile("DestinationIp|cidr", cidr))
                .isInstanceOf(SigmaRuleException.class)
                .hasMessage(reason);
    }
}
