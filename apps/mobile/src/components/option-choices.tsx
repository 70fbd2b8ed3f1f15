import { space } from "@rantai/ui/tokens";
import { StyleSheet, View } from "react-native";
import { Choice } from "@/components/choice";

/** A short single choice (a reason, a direction) as radio rows, each at least 48 px high. */
export function OptionChoices<Option extends string>({
  options,
  labelOf,
  selected,
  onSelect,
  groupLabel,
  testIDPrefix,
}: {
  options: readonly Option[];
  labelOf: (option: Option) => string;
  selected: Option | null;
  onSelect: (option: Option) => void;
  groupLabel: string;
  testIDPrefix: string;
}) {
  return (
    <View role="radiogroup" aria-label={groupLabel} style={styles.group}>
      {options.map((option) => (
        <Choice
          key={option}
          testID={`${testIDPrefix}-${option}`}
          label={labelOf(option)}
          selected={option === selected}
          onPress={() => onSelect(option)}
        />
      ))}
    </View>
  );
}

const styles = StyleSheet.create({ group: { gap: space.sm } });
