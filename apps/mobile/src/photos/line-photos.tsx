import type { ErrorReason } from "@rantai/api";
import { colors, fontSize, space } from "@rantai/ui/tokens";
import * as ImagePicker from "expo-image-picker";
import { useState } from "react";
import { Platform, StyleSheet, Text, View } from "react-native";
import { useTranslations } from "use-intl";
import { Button } from "@/components/button";
import { readPickedPhoto } from "./device-store";
import type { ShipmentPhotos } from "./use-shipment-photos";

/** What the camera (or the web build's file input) is asked for: a compressed photo, no location. */
const pickerOptions: ImagePicker.ImagePickerOptions = { mediaTypes: ["images"], quality: 0.6, exif: false };

/**
 * "Add a photo" for one received line (a damaged or short lot): on a phone the camera, in the
 * web build a file input. The photo is kept on the phone at once and uploaded when the
 * connection allows; the line says how many wait, how many went, and any refusal in words.
 */
export function LinePhotos({
  photos,
  shipmentLineId,
  lot,
}: {
  photos: ShipmentPhotos;
  shipmentLineId: number;
  lot: string;
}) {
  const t = useTranslations("mobile.photos");
  const te = useTranslations();
  const [busy, setBusy] = useState(false);
  const [noPermission, setNoPermission] = useState(false);
  const line = photos.forLine(shipmentLineId);

  const pick = async () => {
    setBusy(true);
    try {
      if (Platform.OS !== "web") {
        const permission = await ImagePicker.requestCameraPermissionsAsync();
        setNoPermission(!permission.granted);
        if (!permission.granted) return;
      }
      const result =
        Platform.OS === "web"
          ? await ImagePicker.launchImageLibraryAsync(pickerOptions)
          : await ImagePicker.launchCameraAsync(pickerOptions);
      const asset = result.canceled ? undefined : result.assets[0];
      if (asset) await photos.add(shipmentLineId, await readPickedPhoto(asset));
    } finally {
      setBusy(false);
    }
  };

  const reasonText = (reason: string) => {
    if (reason === "photo.missing_on_device") return t("missingOnDevice");
    // A reason the server sent; one this build does not know gets the generic message.
    const key = `errors.${reason}` as `errors.${ErrorReason}`;
    return te.has(key) ? te(key) : te("errors.internal");
  };

  return (
    <View style={styles.box} testID={`photos-${shipmentLineId}`}>
      <Button
        label={busy ? t("adding") : t("add")}
        accessibilityLabel={t("addLabel", { lot })}
        testID={`add-photo-${shipmentLineId}`}
        variant="secondary"
        busy={busy}
        onPress={() => void pick()}
      />
      {line.waiting.length > 0 ? (
        <Text testID={`photos-waiting-${shipmentLineId}`} style={styles.hint}>
          {t("waiting", { count: line.waiting.length })}
        </Text>
      ) : null}
      {line.sent > 0 ? (
        <Text testID={`photos-sent-${shipmentLineId}`} style={styles.hint}>
          {t("sent", { count: line.sent })}
        </Text>
      ) : null}
      {line.notKept ? (
        <Text role="alert" style={styles.error}>
          {t(line.notKept === "type" ? "notKeptType" : "notKeptSize")}
        </Text>
      ) : null}
      {noPermission ? (
        <Text role="alert" style={styles.error}>
          {t("noPermission")}
        </Text>
      ) : null}
      {line.rejected.map((entry) => (
        <View key={entry.id} style={styles.rejected}>
          <Text role="alert" style={styles.error}>
            {t("rejected", { reason: reasonText(entry.rejection?.reason ?? "internal") })}
          </Text>
          <Button label={t("dismiss")} variant="secondary" onPress={() => void photos.dismiss(entry.id)} />
        </View>
      ))}
    </View>
  );
}

const styles = StyleSheet.create({
  box: { gap: space.sm, marginTop: space.sm },
  hint: { fontSize: fontSize.sm, color: colors.inkMuted },
  error: { fontSize: fontSize.sm, color: colors.danger },
  rejected: { gap: space.sm },
});
