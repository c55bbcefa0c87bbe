/** The tick box that adds an item to the selection (a click on it does not open the item). */
export function SelectBox({
  checked,
  onChange,
  label,
}: {
  checked: boolean;
  onChange: (on: boolean) => void;
  label: string;
}) {
  return (
    <input
      type="checkbox"
      class="select"
      checked={checked}
      aria-label={label}
      onClick={(e) => e.stopPropagation()}
      onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked)}
    />
  );
}
