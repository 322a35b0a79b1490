<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>AdversarialView</name>
    <message>
        <source>low</source>
        <translation>früh</translation>
    </message>
    <message>
        <source>mid</source>
        <translation>mittel</translation>
    </message>
    <message>
        <source>high</source>
        <translation>spät</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>Attack</source>
        <translation>Angreifen</translation>
    </message>
    <message>
        <source>Load the validation images and the weights of the last run, attack the chosen image and measure the curves</source>
        <translation>Validierungsbilder und Gewichte des letzten Laufs laden, das gewählte Bild angreifen und die Kurven messen</translation>
    </message>
    <message>
        <source>image </source>
        <translation>Bild </translation>
    </message>
    <message>
        <source>Which validation image to attack</source>
        <translation>Welches Validierungsbild angegriffen wird</translation>
    </message>
    <message>
        <source>FGSM: one step of ε along the gradient&apos;s sign. PGD: several smaller steps, each projected back to ±ε</source>
        <translation>FGSM: ein Schritt der Größe ε entlang des Vorzeichens des Gradienten. PGD: mehrere kleinere Schritte, jeder zurück auf ±ε projiziert</translation>
    </message>
    <message>
        <source>PGD steps: </source>
        <translation>PGD-Schritte: </translation>
    </message>
    <message>
        <source>Steps of the PGD attack (step size 2.5·ε / steps)</source>
        <translation>Schritte des PGD-Angriffs (Schrittweite 2,5·ε / Schritte)</translation>
    </message>
    <message>
        <source>ε: how far each pixel may move, as a share of the data&apos;s value range</source>
        <translation>ε: wie weit sich jedes Pixel ändern darf, als Anteil am Wertebereich der Daten</translation>
    </message>
    <message>
        <source>Adversarial training</source>
        <translation>Adversariales Training</translation>
    </message>
    <message>
        <source>Fine-tune a copy of the trained network on attacked images (at the slider&apos;s ε and attack) and overlay its accuracy curve</source>
        <translation>Eine Kopie des trainierten Netzes mit angegriffenen Bildern nachtrainieren (mit ε und Angriff des Reglers) und ihre Genauigkeitskurve darüberlegen</translation>
    </message>
    <message>
        <source>epochs: </source>
        <translation>Epochen: </translation>
    </message>
    <message>
        <source>Epochs of adversarial fine-tuning</source>
        <translation>Epochen des adversarialen Nachtrainierens</translation>
    </message>
    <message>
        <source>The validation image as it is</source>
        <translation>Das Validierungsbild, wie es ist</translation>
    </message>
    <message>
        <source>What the attack added: red brighter, blue darker; full colour at ±ε, so the change is amplified</source>
        <translation>Was der Angriff hinzugefügt hat: rot heller, blau dunkler; volle Farbe bei ±ε, die Änderung ist also verstärkt</translation>
    </message>
    <message>
        <source>Original + perturbation, kept within the data&apos;s value range</source>
        <translation>Original + Störung, im Wertebereich der Daten gehalten</translation>
    </message>
    <message>
        <source>original</source>
        <translation>Original</translation>
    </message>
    <message>
        <source>perturbation</source>
        <translation>Störung</translation>
    </message>
    <message>
        <source>adversarial</source>
        <translation>adversarial</translation>
    </message>
    <message>
        <source>relative feature-map change</source>
        <translation>relative Änderung der Merkmalskarten</translation>
    </message>
    <message>
        <source>How far each probe layer&apos;s output moves: ‖f(attacked) − f(original)‖ / ‖f(original)‖, averaged over the validation images; dots: the chosen image at the slider&apos;s ε</source>
        <translation>Wie weit sich die Ausgabe jeder beobachteten Schicht verschiebt: ‖f(angegriffen) − f(Original)‖ / ‖f(Original)‖, gemittelt über die Validierungsbilder; Punkte: das gewählte Bild beim ε des Reglers</translation>
    </message>
    <message>
        <source>validation accuracy</source>
        <translation>Validierungsgenauigkeit</translation>
    </message>
    <message>
        <source>trained</source>
        <translation>trainiert</translation>
    </message>
    <message>
        <source>New weights: press Attack to attack the network as it is now.</source>
        <translation>Neue Gewichte: Drücken Sie Angreifen, um das Netz in seinem jetzigen Zustand anzugreifen.</translation>
    </message>
    <message>
        <source>Run {run} is training: press Attack when it has ended.</source>
        <translation>Lauf {run} trainiert: Drücken Sie Angreifen, wenn er beendet ist.</translation>
    </message>
    <message>
        <source>ε = {epsilon} ({share} of range)</source>
        <translation>ε = {epsilon} ({share} des Bereichs)</translation>
    </message>
    <message>
        <source>adv. trained</source>
        <translation>adv. trainiert</translation>
    </message>
    <message>
        <source>perturbation ±{epsilon}</source>
        <translation>Störung ±{epsilon}</translation>
    </message>
    <message>
        <source>adversarial · {method}</source>
        <translation>adversarial · {method}</translation>
    </message>
    <message>
        <source>&lt;b&gt;flipped&lt;/b&gt;: {before} → {after}</source>
        <translation>&lt;b&gt;gekippt&lt;/b&gt;: {before} → {after}</translation>
    </message>
    <message>
        <source>still {name}</source>
        <translation>weiterhin {name}</translation>
    </message>
    <message>
        <source>true class: {name}&lt;br&gt;loss {before} → {after}&lt;br&gt;{outcome}</source>
        <translation>wahre Klasse: {name}&lt;br&gt;Verlust {before} → {after}&lt;br&gt;{outcome}</translation>
    </message>
    <message>
        <source>There are no trained weights yet: train the network first (Training tab), then press Attack.</source>
        <translation>Es gibt noch keine trainierten Gewichte: Trainieren Sie zuerst das Netz (Reiter Training) und drücken Sie dann Angreifen.</translation>
    </message>
    <message>
        <source>The network changed since the last run: train it again, then press Attack.</source>
        <translation>Das Netz hat sich seit dem letzten Lauf geändert: Trainieren Sie es erneut und drücken Sie dann Angreifen.</translation>
    </message>
    <message>
        <source>Adversarial examples need a classifier with one Output whose loss is cross_entropy: set the Output node&apos;s loss, train, then press Attack.</source>
        <translation>Adversariale Beispiele brauchen einen Klassifikator mit einem Output, dessen Verlust cross_entropy ist: Stellen Sie den Verlust des Output-Knotens ein, trainieren Sie und drücken Sie dann Angreifen.</translation>
    </message>
    <message>
        <source>Attacking validation images ({method})</source>
        <translation>Greife Validierungsbilder an ({method})</translation>
    </message>
    <message>
        <source>{method} on {n} validation images: accuracy {clean} clean, {mid_acc} at ε = {mid_eps}, {last_acc} at ε = {last_eps}.</source>
        <translation>{method} auf {n} Validierungsbildern: Genauigkeit {clean} unverändert, {mid_acc} bei ε = {mid_eps}, {last_acc} bei ε = {last_eps}.</translation>
    </message>
    <message>
        <source>this image</source>
        <translation>dieses Bild</translation>
    </message>
    <message>
        <source>trained ({method})</source>
        <translation>trainiert ({method})</translation>
    </message>
    <message>
        <source>Press Attack first: adversarial training starts from the measured, trained network.</source>
        <translation>Drücken Sie zuerst Angreifen: Adversariales Training startet vom gemessenen, trainierten Netz.</translation>
    </message>
    <message>
        <source>Set ε above 0 first: adversarial training at ε = 0 is ordinary fine-tuning.</source>
        <translation>Stellen Sie zuerst ε über 0 ein: Adversariales Training bei ε = 0 ist gewöhnliches Nachtrainieren.</translation>
    </message>
    <message>
        <source>Adversarial training at ε = {epsilon} ({method})</source>
        <translation>Adversariales Training bei ε = {epsilon} ({method})</translation>
    </message>
    <message>
        <source>Adversarially trained copy ({method}, ε = {epsilon}, {epochs} epochs): accuracy at ε = {at_eps} {plain_at} → {robust_at}; clean {plain_clean} → {robust_clean}.</source>
        <translation>Adversarial trainierte Kopie ({method}, ε = {epsilon}, {epochs} Epochen): Genauigkeit bei ε = {at_eps} {plain_at} → {robust_at}; unverändert {plain_clean} → {robust_clean}.</translation>
    </message>
</context>
<context>
    <name>AugmentationView</name>
    <message>
        <source>augmentation works on images only: choose an image dataset (shapes, mnist, fashion_mnist, kmnist, cifar10 or an image folder) in the Training tab</source>
        <translation>Datenaugmentierung wirkt nur auf Bilder: Wählen Sie im Reiter Training einen Bilddatensatz (shapes, mnist, fashion_mnist, kmnist, cifar10 oder einen Bildordner)</translation>
    </message>
    <message>
        <source>half the time</source>
        <translation>in jedem zweiten Fall</translation>
    </message>
    <message>
        <source>use in training</source>
        <translation>Im Training nutzen</translation>
    </message>
    <message>
        <source>Train the next run with “{name}” at the strength shown (Training tab: {default} by default)</source>
        <translation>Den nächsten Lauf mit „{name}“ in der gezeigten Stärke trainieren (Reiter Training, Standard: {default})</translation>
    </message>
    <message>
        <source>A flip has no strength: each picture is mirrored or not</source>
        <translation>Spiegeln hat keine Stärke: Jedes Bild wird gespiegelt oder nicht</translation>
    </message>
    <message>
        <source>Strength of this augmentation in the pictures (and in training when it is used there)</source>
        <translation>Stärke dieser Augmentierung in den Bildern (und im Training, wenn sie dort genutzt wird)</translation>
    </message>
    <message>
        <source>The original sample</source>
        <translation>Das Originalbeispiel</translation>
    </message>
    <message>
        <source>The sample every row augments</source>
        <translation>Das Beispiel, das jede Zeile augmentiert</translation>
    </message>
    <message>
        <source>Load samples</source>
        <translation>Beispiele laden</translation>
    </message>
    <message>
        <source>Load a few samples of the project&apos;s dataset</source>
        <translation>Einige Beispiele aus dem Datensatz des Projekts laden</translation>
    </message>
    <message>
        <source>Re-sample</source>
        <translation>Neu ziehen</translation>
    </message>
    <message>
        <source>Draw new random versions at the same strengths</source>
        <translation>Neue zufällige Varianten mit denselben Stärken ziehen</translation>
    </message>
    <message>
        <source>Sample</source>
        <translation>Beispiel</translation>
    </message>
    <message>
        <source>This run trains on “{name}”: {why}.</source>
        <translation>Dieser Lauf trainiert auf „{name}“: {why}.</translation>
    </message>
    <message>
        <source>validation samples of run {run} ({name})</source>
        <translation>Validierungsbeispiele von Lauf {run} ({name})</translation>
    </message>
    <message>
        <source>The project&apos;s dataset is “{name}”: {why}.</source>
        <translation>Der Datensatz des Projekts ist „{name}“: {why}.</translation>
    </message>
    <message>
        <source>“{name}” holds {kind}: {why}</source>
        <translation>„{name}“ enthält {kind}: {why}</translation>
    </message>
    <message>
        <source>samples of {name} (no run yet)</source>
        <translation>Beispiele aus {name} (noch kein Lauf)</translation>
    </message>
    <message>
        <source>Loading {name}…</source>
        <translation>{name} wird geladen…</translation>
    </message>
    <message>
        <source>{source} · left: the sample, right: {n} random versions</source>
        <translation>{source} · links: das Beispiel, rechts: {n} zufällige Varianten</translation>
    </message>
</context>
<context>
    <name>BiasView</name>
    <message>
        <source>accuracy</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <source>mark = class</source>
        <translation>Markierung = Klasse</translation>
    </message>
    <message>
        <source>acc., mark agrees</source>
        <translation>Gen., Mark. passt</translation>
    </message>
    <message>
        <source>acc., mark disagrees</source>
        <translation>Gen., Mark. falsch</translation>
    </message>
    <message>
        <source>took mark&apos;s class</source>
        <translation>nahm Mark.-Klasse</translation>
    </message>
    <message>
        <source>In this share of the training images the mark names the class; in the others it sits at a random place</source>
        <translation>In diesem Anteil der Trainingsbilder verrät die Markierung die Klasse; in den übrigen sitzt sie an einer zufälligen Stelle</translation>
    </message>
    <message>
        <source>Epochs over the {n} biased training images</source>
        <translation>Epochen über die {n} verzerrten Trainingsbilder</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>Trainieren</translation>
    </message>
    <message>
        <source>Train the network on the canvas (head resized to the 8 shapes) on the biased images, then test it on fair ones</source>
        <translation>Das Netz auf der Arbeitsfläche (Kopf auf die 8 Formen angepasst) mit den verzerrten Bildern trainieren und dann auf fairen testen</translation>
    </message>
    <message>
        <source>Sweep strengths</source>
        <translation>Stärken durchlaufen</translation>
    </message>
    <message>
        <source>Train once per mark strength ({strengths}) and plot the fair-test accuracy against it</source>
        <translation>Einmal je Markierungsstärke ({strengths}) trainieren und die Genauigkeit im fairen Test darüber auftragen</translation>
    </message>
    <message>
        <source>mark strength</source>
        <translation>Markierungsstärke</translation>
    </message>
    <message>
        <source>epochs</source>
        <translation>Epochen</translation>
    </message>
    <message>
        <source>training</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>fair test</source>
        <translation>fairer Test</translation>
    </message>
    <message>
        <source>The same network on its biased training images and on fair test images, where the mark is random. Rows: accuracy; share of images whose mark names their class; accuracy on those and on the others; share of the others that the network gave the mark&apos;s class</source>
        <translation>Dasselbe Netz auf seinen verzerrten Trainingsbildern und auf fairen Testbildern, in denen die Markierung zufällig ist. Zeilen: Genauigkeit; Anteil der Bilder, deren Markierung ihre Klasse verrät; Genauigkeit auf diesen und auf den übrigen; Anteil der übrigen, denen das Netz die Klasse der Markierung gab</translation>
    </message>
    <message>
        <source>mark agrees</source>
        <translation>Mark. passt</translation>
    </message>
    <message>
        <source>disagrees</source>
        <translation>passt nicht</translation>
    </message>
    <message>
        <source>Fair-test accuracy per class, split by whether the mark names the image&apos;s class (images in each group)</source>
        <translation>Genauigkeit im fairen Test je Klasse, getrennt danach, ob die Markierung die Klasse des Bildes verrät (Bilder je Gruppe)</translation>
    </message>
    <message>
        <source>Training vs fair test</source>
        <translation>Training gegen fairen Test</translation>
    </message>
    <message>
        <source>Where it looked (saliency, fair test)</source>
        <translation>Wohin es schaute (Salienz, fairer Test)</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>Epoche</translation>
    </message>
    <message>
        <source>mark strength (%)</source>
        <translation>Markierungsstärke (%)</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>Epochen</translation>
    </message>
    <message>
        <source>Sweep</source>
        <translation>Durchlauf</translation>
    </message>
    <message>
        <source>Per class</source>
        <translation>Je Klasse</translation>
    </message>
    <message>
        <source>Fair test per class</source>
        <translation>Fairer Test je Klasse</translation>
    </message>
    <message>
        <source>This view needs a project: open or build a network first.</source>
        <translation>Diese Ansicht braucht ein Projekt: Öffnen oder bauen Sie zuerst ein Netz.</translation>
    </message>
    <message>
        <source>Training with a {strength} mark</source>
        <translation>Training mit {strength} Markierung</translation>
    </message>
    <message>
        <source>Sweep: {runs} trainings of {steps} steps</source>
        <translation>Durchlauf: {runs} Trainings mit je {steps} Schritten</translation>
    </message>
    <message>
        <source>Fair-test accuracy from {first_acc} (mark {first_mark}) down to {worst_acc} (mark {worst_mark}), while training accuracy stays {train_acc} or more.</source>
        <translation>Genauigkeit im fairen Test von {first_acc} (Markierung {first_mark}) bis hinab zu {worst_acc} (Markierung {worst_mark}), während die Trainingsgenauigkeit bei {train_acc} oder mehr bleibt.</translation>
    </message>
    <message>
        <source>{share} of {n}</source>
        <translation>{share} von {n}</translation>
    </message>
    <message>
        <source>A {shape}; its mark names {cue}; the network said {predicted}. Bright: pixels whose change would move its score most (gradient saliency).</source>
        <translation>Ein Bild der Klasse {shape}; seine Markierung verrät {cue}; das Netz sagte {predicted}. Hell: Pixel, deren Änderung den Wert am stärksten verschieben würde (Gradienten-Salienz).</translation>
    </message>
    <message>
        <source>Mark named another class. On the mark: {ratio}× the saliency of other pixels. Green: right; red: took the mark&apos;s class.</source>
        <translation>Markierung verriet eine andere Klasse. Auf der Markierung: {ratio}× die Salienz anderer Pixel. Grün: richtig; rot: Klasse der Markierung genommen.</translation>
    </message>
    <message>
        <source>it learned the mark, not the shape</source>
        <translation>es hat die Markierung gelernt, nicht die Form</translation>
    </message>
    <message>
        <source>partly the mark</source>
        <translation>teils die Markierung</translation>
    </message>
    <message>
        <source>it learned the shapes</source>
        <translation>es hat die Formen gelernt</translation>
    </message>
    <message>
        <source>Training {train}, fair test {fair}: {what}.</source>
        <translation>Training {train}, fairer Test {fair}: {what}.</translation>
    </message>
    <message>
        <source>accuracy (%)</source>
        <translation>Genauigkeit (%)</translation>
    </message>
</context>
<context>
    <name>CanvasScene</name>
    <message>
        <source>Cannot connect: {problem}</source>
        <translation>Verbinden nicht möglich: {problem}</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Duplizieren</translation>
    </message>
    <message>
        <source>Nothing to paste: copy some layers first</source>
        <translation>Nichts zum Einfügen: Kopieren Sie zuerst Schichten</translation>
    </message>
    <message>
        <source>Cannot paste: the clipboard holds no valid layers ({error})</source>
        <translation>Einfügen nicht möglich: Die Zwischenablage enthält keine gültigen Schichten ({error})</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>Einfügen</translation>
    </message>
    <message>
        <source>Applied: {fix}</source>
        <translation>Angewendet: {fix}</translation>
    </message>
</context>
<context>
    <name>CanvasView</name>
    <message>
        <source>Drag layers here from the palette
then drag from an output port (right) to an input port (left)</source>
        <translation>Ziehen Sie Schichten aus der Palette hierher,
dann ziehen Sie von einem Ausgang (rechts) zu einem Eingang (links)</translation>
    </message>
    <message>
        <source>a wire must join an output to an input, not output to output</source>
        <translation>eine Verbindung führt von einem Ausgang zu einem Eingang, nicht von Ausgang zu Ausgang</translation>
    </message>
    <message>
        <source>a wire must join an output to an input, not input to input</source>
        <translation>eine Verbindung führt von einem Ausgang zu einem Eingang, nicht von Eingang zu Eingang</translation>
    </message>
    <message>
        <source>Cannot connect: {problem}</source>
        <translation>Verbinden nicht möglich: {problem}</translation>
    </message>
</context>
<context>
    <name>Category</name>
    <message>
        <source>Input/Output</source>
        <translation>Ein-/Ausgabe</translation>
    </message>
    <message>
        <source>Convolution</source>
        <translation>Faltung</translation>
    </message>
    <message>
        <source>Pooling</source>
        <translation>Pooling</translation>
    </message>
    <message>
        <source>Dense</source>
        <translation>Vollverbunden</translation>
    </message>
    <message>
        <source>Regularisation</source>
        <translation>Regularisierung</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>Aktivierung</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>Zusammenführen</translation>
    </message>
    <message>
        <source>Recurrent</source>
        <translation>Rekurrent</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>Form</translation>
    </message>
</context>
<context>
    <name>ChannelsView</name>
    <message>
        <source>one position (receptive field)</source>
        <translation>eine Position (rezeptives Feld)</translation>
    </message>
    <message>
        <source>whole channel (mean)</source>
        <translation>ganzer Kanal (Mittelwert)</translation>
    </message>
    <message>
        <source>low: edges</source>
        <translation>früh: Kanten</translation>
    </message>
    <message>
        <source>mid: parts</source>
        <translation>mittel: Teile</translation>
    </message>
    <message>
        <source>high: objects</source>
        <translation>spät: Objekte</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>Compute</source>
        <translation>Berechnen</translation>
    </message>
    <message>
        <source>Synthesise the inputs and find the top images, using the weights of the last run</source>
        <translation>Die Eingaben synthetisieren und die stärksten Bilder finden, mit den Gewichten des letzten Laufs</translation>
    </message>
    <message>
        <source>What is maximised. One position: the unit at the centre of the channel&apos;s map; the pictures show only its receptive field (the input pixels it can see), which grows from layer to layer. Whole channel: the channel&apos;s mean over all positions; it asks for the pattern everywhere at once, so low layers give flat or striped pictures.</source>
        <translation>Was maximiert wird. Eine Position: die Einheit in der Mitte der Merkmalskarte des Kanals; die Bilder zeigen nur ihr rezeptives Feld (die Eingabepixel, die sie sieht), das von Schicht zu Schicht wächst. Ganzer Kanal: der Mittelwert des Kanals über alle Positionen; er verlangt das Muster überall zugleich, daher geben frühe Schichten flache oder gestreifte Bilder.</translation>
    </message>
    <message>
        <source>channels per layer: </source>
        <translation>Kanäle je Schicht: </translation>
    </message>
    <message>
        <source>steps: </source>
        <translation>Schritte: </translation>
    </message>
    <message>
        <source>Gradient-ascent steps per synthesised input</source>
        <translation>Schritte des Gradientenaufstiegs je synthetisierter Eingabe</translation>
    </message>
    <message>
        <source>How many channels of each layer to show</source>
        <translation>Wie viele Kanäle jeder Schicht gezeigt werden</translation>
    </message>
    <message>
        <source>New weights: press Compute to see what the channels look for now.</source>
        <translation>Neue Gewichte: Klicken Sie auf „Berechnen“, um zu sehen, wonach die Kanäle jetzt suchen.</translation>
    </message>
    <message>
        <source>Press Compute to maximise the new objective.</source>
        <translation>Klicken Sie auf „Berechnen“, um das neue Ziel zu maximieren.</translation>
    </message>
    <message>
        <source>There are no trained weights yet: train the network first (Training tab), then press Compute.</source>
        <translation>Es gibt noch keine trainierten Gewichte: Trainieren Sie das Netz zuerst (Reiter Training) und klicken Sie dann auf „Berechnen“.</translation>
    </message>
    <message>
        <source>The network changed since the last run: train it again, then press Compute.</source>
        <translation>Das Netz wurde seit dem letzten Lauf geändert: Trainieren Sie es erneut und klicken Sie dann auf „Berechnen“.</translation>
    </message>
    <message>
        <source>The network has no layers to look into: connect it from Input to Output first.</source>
        <translation>Das Netz hat keine Schichten, in die man hineinsehen kann: Verbinden Sie es zuerst von Input bis Output.</translation>
    </message>
    <message>
        <source>Synthesising inputs…</source>
        <translation>Eingaben werden synthetisiert…</translation>
    </message>
    <message>
        <source>{steps} steps of gradient ascent on the centre unit; top {k} patches of the first {n} training images; × avg: its activation over that unit&apos;s average on those images</source>
        <translation>{steps} Schritte Gradientenaufstieg auf die mittlere Einheit; die {k} stärksten Ausschnitte der ersten {n} Trainingsbilder; × Ø: ihre Aktivierung relativ zum Durchschnitt dieser Einheit auf diesen Bildern</translation>
    </message>
    <message>
        <source>{steps} steps of gradient ascent on the channel mean; top {k} of the first {n} training images; × mean: its activation over the channel&apos;s average on those images</source>
        <translation>{steps} Schritte Gradientenaufstieg auf den Kanalmittelwert; die {k} stärksten der ersten {n} Trainingsbilder; × Mittel: ihre Aktivierung relativ zum Durchschnitt des Kanals auf diesen Bildern</translation>
    </message>
    <message>
        <source>sees {h}×{w} px</source>
        <translation>sieht {h}×{w} px</translation>
    </message>
    <message>
        <source>{layer}, channel {channel}, its centre unit: the synthesised input raised it from {start} (noise) to {final}; best training patch {best}, that unit&apos;s average over the training images {mean}</source>
        <translation>{layer}, Kanal {channel}, mittlere Einheit: Die synthetisierte Eingabe hob sie von {start} (Rauschen) auf {final}; bester Trainingsausschnitt {best}, Durchschnitt dieser Einheit über die Trainingsbilder {mean}</translation>
    </message>
    <message>
        <source>{layer}, channel {channel}, its mean activation: the synthesised input raised it from {start} (noise) to {final}; best training image {best}, the channel&apos;s average over the training images {mean}</source>
        <translation>{layer}, Kanal {channel}, mittlere Aktivierung: Die synthetisierte Eingabe hob sie von {start} (Rauschen) auf {final}; bestes Trainingsbild {best}, Durchschnitt des Kanals über die Trainingsbilder {mean}</translation>
    </message>
    <message>
        <source>{factor}× avg</source>
        <translation>{factor}× Ø</translation>
    </message>
    <message>
        <source>{factor}× mean</source>
        <translation>{factor}× Mittel</translation>
    </message>
    <message>
        <source>{value}, data 0</source>
        <translation>{value}, Daten 0</translation>
    </message>
    <message>
        <source>ch {channel} · {gain}</source>
        <translation>K {channel} · {gain}</translation>
    </message>
    <message>
        <source>Run {run} is training: press Compute when it has ended.</source>
        <translation>Lauf {run} trainiert: Klicken Sie auf „Berechnen“, wenn er fertig ist.</translation>
    </message>
</context>
<context>
    <name>Commands</name>
    <message>
        <source>dataset</source>
        <translation>Datensatz</translation>
    </message>
    <message>
        <source>data folder</source>
        <translation>Datenordner</translation>
    </message>
    <message>
        <source>training samples</source>
        <translation>Trainingsbeispiele</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <source>batch size</source>
        <translation>Batchgröße</translation>
    </message>
    <message>
        <source>flip</source>
        <translation>Spiegeln</translation>
    </message>
    <message>
        <source>colour jitter</source>
        <translation>Farbvariation</translation>
    </message>
    <message>
        <source>shift</source>
        <translation>Verschiebung</translation>
    </message>
    <message>
        <source>validation share</source>
        <translation>Validierungsanteil</translation>
    </message>
    <message>
        <source>data sample</source>
        <translation>Datenstichprobe</translation>
    </message>
    <message>
        <source>run log folder</source>
        <translation>Ordner der Laufprotokolle</translation>
    </message>
    <message>
        <source>training speed (s per step)</source>
        <translation>Trainingstempo (s pro Schritt)</translation>
    </message>
    <message>
        <source>Add {layer}</source>
        <translation>{layer} hinzufügen</translation>
    </message>
    <message>
        <source>Connect {source} → {target}</source>
        <translation>{source} → {target} verbinden</translation>
    </message>
    <message>
        <source>Disconnect {source} → {target}</source>
        <translation>Verbindung {source} → {target} lösen</translation>
    </message>
    <message>
        <source>Delete 1 layer</source>
        <translation>1 Schicht löschen</translation>
    </message>
    <message>
        <source>Delete {n} layers</source>
        <translation>{n} Schichten löschen</translation>
    </message>
    <message>
        <source>Delete 1 wire</source>
        <translation>1 Verbindung löschen</translation>
    </message>
    <message>
        <source>Delete {n} wires</source>
        <translation>{n} Verbindungen löschen</translation>
    </message>
    <message>
        <source>Move 1 layer</source>
        <translation>1 Schicht verschieben</translation>
    </message>
    <message>
        <source>Move {n} layers</source>
        <translation>{n} Schichten verschieben</translation>
    </message>
    <message>
        <source>Set {parameter} of {layer}</source>
        <translation>{parameter} von {layer} ändern</translation>
    </message>
    <message>
        <source>Set {names} to {value}</source>
        <translation>{names} auf {value} setzen</translation>
    </message>
    <message>
        <source>Set {names}</source>
        <translation>{names} ändern</translation>
    </message>
    <message>
        <source>Rename {old} to {new}</source>
        <translation>{old} in {new} umbenennen</translation>
    </message>
    <message>
        <source>Freeze {layer}</source>
        <translation>{layer} einfrieren</translation>
    </message>
    <message>
        <source>Unfreeze {layer}</source>
        <translation>Einfrieren von {layer} aufheben</translation>
    </message>
    <message>
        <source>Keep weights of run {run}</source>
        <translation>Gewichte von Lauf {run} behalten</translation>
    </message>
    <message>
        <source>Keep weights of run {run} (weights no longer kept: only the last {n} runs&apos; weights can be undone)</source>
        <translation>Gewichte von Lauf {run} behalten (Gewichte nicht mehr gespeichert: nur die Gewichte der letzten {n} Läufe lassen sich rückgängig machen)</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>Einfügen</translation>
    </message>
    <message>
        <source>Insert {layer}</source>
        <translation>{layer} einfügen</translation>
    </message>
    <message>
        <source>Auto-layout</source>
        <translation>Automatisch anordnen</translation>
    </message>
</context>
<context>
    <name>ConfusionView</name>
    <message>
        <source>Confusion matrix: after the first epoch</source>
        <translation>Konfusionsmatrix: nach der ersten Epoche</translation>
    </message>
    <message>
        <source>true class</source>
        <translation>wahre Klasse</translation>
    </message>
    <message>
        <source>predicted class</source>
        <translation>vorhergesagte Klasse</translation>
    </message>
    <message>
        <source>Confusion matrix after epoch {epoch}</source>
        <translation>Konfusionsmatrix nach Epoche {epoch}</translation>
    </message>
    <message>
        <source>Confusion matrix of run {run} after epoch {epoch}</source>
        <translation>Konfusionsmatrix von Lauf {run} nach Epoche {epoch}</translation>
    </message>
    <message>
        <source>, validation accuracy {acc}</source>
        <translation>, Validierungsgenauigkeit {acc}</translation>
    </message>
</context>
<context>
    <name>CurvesView</name>
    <message>
        <source>{run} train</source>
        <translation>{run} Training</translation>
    </message>
    <message>
        <source>{run} val</source>
        <translation>{run} Validierung</translation>
    </message>
    <message>
        <source>Log-scale loss</source>
        <translation>Log-Skala</translation>
    </message>
    <message>
        <source>A logarithmic loss axis shows slow late progress clearly</source>
        <translation>Eine logarithmische Verlustachse zeigt auch langsamen späten Fortschritt deutlich</translation>
    </message>
    <message>
        <source>Clear old runs</source>
        <translation>Nur letzter Lauf</translation>
    </message>
    <message>
        <source>Keep only the latest run&apos;s curves</source>
        <translation>Nur die Kurven des neuesten Laufs behalten</translation>
    </message>
    <message>
        <source>Export every run&apos;s curves as a CSV table</source>
        <translation>Die Kurven aller Läufe als CSV-Tabelle exportieren</translation>
    </message>
    <message>
        <source>Export both plots as a PNG picture</source>
        <translation>Beide Diagramme als PNG-Bild exportieren</translation>
    </message>
    <message>
        <source>Loss (lower is better)</source>
        <translation>Verlust (klein = gut)</translation>
    </message>
    <message>
        <source>Accuracy (higher is better)</source>
        <translation>Genauigkeit (hoch = gut)</translation>
    </message>
    <message>
        <source>training step</source>
        <translation>Trainingsschritt</translation>
    </message>
    <message>
        <source>Faint: raw · bold: smoothed · dots: validation</source>
        <translation>Blass: roh · kräftig: geglättet · Punkte: Validierung</translation>
    </message>
    <message>
        <source>Faint: every few steps · bold: smoothed · dots: validation per epoch</source>
        <translation>Blass: alle paar Schritte · kräftig: geglättet · Punkte: Validierung je Epoche</translation>
    </message>
    <message>
        <source>run {n}</source>
        <translation>Lauf {n}</translation>
    </message>
    <message>
        <source>Export curves</source>
        <translation>Kurven exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG-Bilder (*.png)</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <source>How much of the run is done</source>
        <translation>Wie viel des Laufs erledigt ist</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Nicht gestartet</translation>
    </message>
    <message>
        <source>Where the run is, and its latest loss and accuracy; the Training tab has all settings</source>
        <translation>Wo der Lauf steht, mit aktuellem Verlust und Genauigkeit; alle Einstellungen im Reiter „Training“</translation>
    </message>
    <message>
        <source>⚠ The network was edited since this run started; the run goes on with the network as it was. Train again to train the new one.</source>
        <translation>⚠ Das Netz wurde seit dem Start dieses Laufs geändert; der Lauf trainiert das Netz, wie es war. Trainieren Sie erneut, um das neue zu trainieren.</translation>
    </message>
</context>
<context>
    <name>DataPreview</name>
    <message>
        <source>Phrase pairs, e.g. {pairs}</source>
        <translation>Satzpaare, z. B. {pairs}</translation>
    </message>
    <message>
        <source>{n} classes · {shape} · e.g. {examples}, …</source>
        <translation>{n} Klassen · {shape} · z. B. {examples}, …</translation>
    </message>
    <message>
        <source>2-D points · {train} training (●), {val} validation (■) · classes: {classes}</source>
        <translation>2-D-Punkte · {train} Training (●), {val} Validierung (■) · Klassen: {classes}</translation>
    </message>
    <message>
        <source>sequences of {steps} steps · classes: {classes}</source>
        <translation>Sequenzen aus {steps} Schritten · Klassen: {classes}</translation>
    </message>
</context>
<context>
    <name>Document</name>
    <message>
        <source>Untitled</source>
        <translation>Unbenannt</translation>
    </message>
    <message>
        <source>Opened without the trained weights: {error}</source>
        <translation>Ohne die trainierten Gewichte geöffnet: {error}</translation>
    </message>
    <message>
        <source>unknown layer</source>
        <translation>unbekannte Schicht</translation>
    </message>
    <message>
        <source>a layer cannot feed itself</source>
        <translation>eine Schicht kann nicht sich selbst speisen</translation>
    </message>
    <message>
        <source>&apos;{layer}&apos; has no output</source>
        <translation>&apos;{layer}&apos; hat keine Ausgabe</translation>
    </message>
    <message>
        <source>&apos;{layer}&apos; takes no input</source>
        <translation>&apos;{layer}&apos; nimmt keine Eingabe</translation>
    </message>
    <message>
        <source>&apos;{source}&apos; is already wired to &apos;{target}&apos;</source>
        <translation>&apos;{source}&apos; ist schon mit &apos;{target}&apos; verbunden</translation>
    </message>
    <message>
        <source>this wire would create a loop; networks must flow forward</source>
        <translation>diese Verbindung würde eine Schleife bilden; Netze müssen vorwärts fließen</translation>
    </message>
    <message>
        <source>the input of &apos;{layer}&apos; is already taken (use Add or Concat to merge)</source>
        <translation>der Eingang von &apos;{layer}&apos; ist schon belegt (zum Zusammenführen Add oder Concat verwenden)</translation>
    </message>
</context>
<context>
    <name>DrawingPad</name>
    <message>
        <source>Draw with the left mouse button, erase with the right one</source>
        <translation>Mit der linken Maustaste zeichnen, mit der rechten radieren</translation>
    </message>
</context>
<context>
    <name>EdgeItem</name>
    <message>
        <source>{source} → {target}
Click to select, Delete to remove</source>
        <translation>{source} → {target}
Klicken zum Auswählen, Entf zum Entfernen</translation>
    </message>
</context>
<context>
    <name>FeatureMapsView</name>
    <message>
        <source>low: edges</source>
        <translation>früh: Kanten</translation>
    </message>
    <message>
        <source>low-level</source>
        <translation>frühe Ebene</translation>
    </message>
    <message>
        <source>mid: parts</source>
        <translation>mittel: Teile</translation>
    </message>
    <message>
        <source>mid-level</source>
        <translation>mittlere Ebene</translation>
    </message>
    <message>
        <source>high: objects</source>
        <translation>spät: Objekte</translation>
    </message>
    <message>
        <source>high-level</source>
        <translation>späte Ebene</translation>
    </message>
    <message>
        <source>waiting for training</source>
        <translation>wartet auf Training</translation>
    </message>
    <message>
        <source>Image {n}</source>
        <translation>Bild {n}</translation>
    </message>
    <message>
        <source>Which validation image the network looks at in this view</source>
        <translation>Welches Validierungsbild das Netz in dieser Ansicht betrachtet</translation>
    </message>
    <message>
        <source>Enlarged channel</source>
        <translation>Vergrößerter Kanal</translation>
    </message>
    <message>
        <source>Click a channel in a grid to enlarge it here</source>
        <translation>Klicken Sie auf einen Kanal in einem Raster, um ihn hier zu vergrößern</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>{layer}: shown from the next snapshot on</source>
        <translation>{layer}: ab der nächsten Momentaufnahme zu sehen</translation>
    </message>
    <message>
        <source>no layer chosen</source>
        <translation>keine Schicht gewählt</translation>
    </message>
    <message>
        <source>{n} time steps, left to right</source>
        <translation>{n} Zeitschritte, von links nach rechts</translation>
    </message>
    <message>
        <source>Enlarged: {layer} #{channel}</source>
        <translation>Vergrößert: {layer} #{channel}</translation>
    </message>
</context>
<context>
    <name>FiltersView</name>
    <message>
        <source>First-layer filters</source>
        <translation>Filter der ersten Schicht</translation>
    </message>
    <message>
        <source>Each tile is a pattern the first layer looks for. Blue: negative weight, white: zero, red: positive; all tiles share one scale.</source>
        <translation>Jede Kachel ist ein Muster, nach dem die erste Schicht sucht. Blau: negatives Gewicht, weiß: null, rot: positiv; alle Kacheln teilen eine Skala.</translation>
    </message>
    <message>
        <source>Blue: −, red: +</source>
        <translation>Blau: −, rot: +</translation>
    </message>
    <message>
        <source>This network has no convolution layer, so there are no filter pictures.</source>
        <translation>Dieses Netz hat keine Faltungsschicht, daher gibt es keine Filterbilder.</translation>
    </message>
    <message>
        <source>1 channel</source>
        <translation>1 Kanal</translation>
    </message>
    <message>
        <source>mean of {c} channels</source>
        <translation>Mittel aus {c} Kanälen</translation>
    </message>
    <message>
        <source>Filters of {layer}</source>
        <translation>Filter von {layer}</translation>
    </message>
    <message>
        <source>{n} filters of {k}×{k}, {channels}. Blue: −, red: +</source>
        <translation>{n} Filter zu {k}×{k}, {channels}. Blau: −, rot: +</translation>
    </message>
</context>
<context>
    <name>GroupItem</name>
    <message>
        <source>{layers} layers, {count} parameters, output {shape}</source>
        <translation>{layers} Schichten, {count} Parameter, Ausgabe {shape}</translation>
    </message>
    <message>
        <source>Double-click to open the block and see its layers</source>
        <translation>Doppelklicken, um den Block zu öffnen und seine Schichten zu sehen</translation>
    </message>
    <message>
        <source>Double-click the title bar to fold the block into one box</source>
        <translation>Doppelklick auf die Titelleiste faltet den Block zu einem Kasten</translation>
    </message>
    <message>
        <source>{n} problem(s) inside: open it to see them</source>
        <translation>{n} Problem(e) darin: öffnen Sie ihn, um sie zu sehen</translation>
    </message>
    <message>
        <source>group of layers</source>
        <translation>Gruppe von Schichten</translation>
    </message>
    <message>
        <source>{name}   ·   double-click here to fold</source>
        <translation>{name}   ·   Doppelklick hier zum Falten</translation>
    </message>
    <message>
        <source>group {name}</source>
        <translation>Gruppe {name}</translation>
    </message>
    <message>
        <source>{n} problem(s) inside</source>
        <translation>{n} Problem(e) darin</translation>
    </message>
    <message>
        <source>double-click to open</source>
        <translation>Doppelklick zum Öffnen</translation>
    </message>
    <message>
        <source>{layers} layers · {count} params</source>
        <translation>{layers} Schichten · {count} Parameter</translation>
    </message>
    <message>
        <source>Open group</source>
        <translation>Gruppe öffnen</translation>
    </message>
    <message>
        <source>Collapse group</source>
        <translation>Gruppe falten</translation>
    </message>
    <message>
        <source>Collapse all groups</source>
        <translation>Alle Gruppen falten</translation>
    </message>
    <message>
        <source>Open all groups</source>
        <translation>Alle Gruppen öffnen</translation>
    </message>
</context>
<context>
    <name>HistogramsView</name>
    <message>
        <source>Layer whose weights and gradients are shown</source>
        <translation>Schicht, deren Gewichte und Gradienten gezeigt werden</translation>
    </message>
    <message>
        <source>Weights now</source>
        <translation>Gewichte jetzt</translation>
    </message>
    <message>
        <source>over time</source>
        <translation>im Verlauf</translation>
    </message>
    <message>
        <source>Gradient sizes now</source>
        <translation>Gradientgrößen jetzt</translation>
    </message>
    <message>
        <source>Now: → value or log10 |g|, ↑ count. Over time: → snapshot, darker = more.</source>
        <translation>Jetzt: → Wert bzw. log10 |g|, ↑ Anzahl. Im Verlauf: → Momentaufnahme, dunkler = mehr.</translation>
    </message>
    <message>
        <source>Now: the histogram of the latest snapshot (→ weight value or log10 of the gradient size, ↑ how many). Over time, right of it: one column per snapshot (about two a second), darker = more in that bin; bins are fixed for the run so columns compare. log10 |g| of −8 means a gradient of 0.00000001 (vanishing); near 0 means large.</source>
        <translation>Jetzt: das Histogramm der neuesten Momentaufnahme (→ Gewichtswert bzw. log10 der Gradientgröße, ↑ wie viele). Im Verlauf, rechts daneben: eine Spalte je Momentaufnahme (etwa zwei pro Sekunde), dunkler = mehr in diesem Bereich; die Bereiche bleiben für den Lauf fest, damit Spalten vergleichbar sind. log10 |g| von −8 bedeutet einen Gradienten von 0,00000001 (verschwindend); nahe 0 bedeutet groß.</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>{total} weights · step {step}</source>
        <translation>{total} Gewichte · Schritt {step}</translation>
    </message>
</context>
<context>
    <name>Inspector</name>
    <message>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>Model summary</source>
        <translation>Modellübersicht</translation>
    </message>
    <message>
        <source>Edit the selected layer</source>
        <translation>Die ausgewählte Schicht bearbeiten</translation>
    </message>
    <message>
        <source>Output shape and parameters of every layer</source>
        <translation>Ausgabeform und Parameter jeder Schicht</translation>
    </message>
</context>
<context>
    <name>LSTMView</name>
    <message>
        <source>h · hidden state</source>
        <translation>h · verborgener Zustand</translation>
    </message>
    <message>
        <source>c · cell (memory)</source>
        <translation>c · Zelle (Gedächtnis)</translation>
    </message>
    <message>
        <source>i · input gate: write</source>
        <translation>i · Eingabetor: schreiben</translation>
    </message>
    <message>
        <source>f · forget gate: keep</source>
        <translation>f · Vergessenstor: behalten</translation>
    </message>
    <message>
        <source>o · output gate: show</source>
        <translation>o · Ausgabetor: zeigen</translation>
    </message>
    <message>
        <source>The LSTM node of the network to look into</source>
        <translation>Der LSTM-Knoten des Netzes, in den Sie hineinschauen</translation>
    </message>
    <message>
        <source>For a stacked LSTM (num_layers &gt; 1): which of its layers</source>
        <translation>Bei einem gestapelten LSTM (num_layers &gt; 1): welche seiner Schichten</translation>
    </message>
    <message>
        <source>A validation input the network never trained on</source>
        <translation>Eine Validierungseingabe, mit der das Netz nie trainiert hat</translation>
    </message>
    <message>
        <source>or type English number words, e.g. forty two</source>
        <translation>oder englische Zahlwörter eintippen, z. B. forty two</translation>
    </message>
    <message>
        <source>Type a phrase and press Enter to see the LSTM read it</source>
        <translation>Tippen Sie eine Phrase ein und drücken Sie Enter, um das LSTM sie lesen zu sehen</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>x · what it reads</source>
        <translation>x · was es liest</translation>
    </message>
    <message>
        <source>unit</source>
        <translation>Einheit</translation>
    </message>
    <message>
        <source>Colours: blue −1 · white 0 · red +1 for h; gates blue = closed (0), white = half, red = open (1); c is clipped at ±{limit}; x is scaled to its largest value. Hover a heatmap for its values.</source>
        <translation>Farben: blau −1 · weiß 0 · rot +1 für h; Tore blau = geschlossen (0), weiß = halb, rot = offen (1); c wird bei ±{limit} abgeschnitten; x ist auf seinen größten Wert skaliert. Zeigen Sie auf eine Heatmap, um ihre Werte zu sehen.</translation>
    </message>
    <message>
        <source>Run {run} is training: the heatmaps follow it.</source>
        <translation>Lauf {run} trainiert: Die Heatmaps folgen ihm.</translation>
    </message>
    <message>
        <source>the weights at training step {step} (epoch {epoch})</source>
        <translation>den Gewichten bei Trainingsschritt {step} (Epoche {epoch})</translation>
    </message>
    <message>
        <source>This view needs a project.</source>
        <translation>Diese Ansicht braucht ein Projekt.</translation>
    </message>
    <message>
        <source>This view needs a network with an LSTM node: open the translation or lstm_sequence preset, or add an LSTM layer.</source>
        <translation>Diese Ansicht braucht ein Netz mit einem LSTM-Knoten: Öffnen Sie die Vorlage translation oder lstm_sequence, oder fügen Sie eine LSTM-Schicht hinzu.</translation>
    </message>
    <message>
        <source>This view reads sequences: choose the translation or sequence dataset in the Training tab.</source>
        <translation>Diese Ansicht liest Sequenzen: Wählen Sie im Reiter Training den Datensatz translation oder sequence.</translation>
    </message>
    <message>
        <source>validation sample {k}: {name}</source>
        <translation>Validierungsbeispiel {k}: {name}</translation>
    </message>
    <message>
        <source>Cannot read &apos;{phrase}&apos;: {problem}.</source>
        <translation>&apos;{phrase}&apos; lässt sich nicht lesen: {problem}.</translation>
    </message>
    <message>
        <source>The running network cannot read this input: {problem}.</source>
        <translation>Das laufende Netz kann diese Eingabe nicht lesen: {problem}.</translation>
    </message>
    <message>
        <source>&apos;{input}&apos; is measured at the next snapshot of the run.</source>
        <translation>&apos;{input}&apos; wird beim nächsten Schnappschuss des Laufs gemessen.</translation>
    </message>
    <message>
        <source>There are no trained weights yet: train the network (Train, F5) and the heatmaps follow it live.</source>
        <translation>Es gibt noch keine trainierten Gewichte: Trainieren Sie das Netz (Trainieren, F5), die Heatmaps folgen ihm live.</translation>
    </message>
    <message>
        <source>The network changed since the last run: train it again.</source>
        <translation>Das Netz hat sich seit dem letzten Lauf geändert: Trainieren Sie es erneut.</translation>
    </message>
    <message>
        <source>Unrolling the LSTM on &apos;{input}&apos;…</source>
        <translation>Entfalte das LSTM auf &apos;{input}&apos; …</translation>
    </message>
    <message>
        <source>the trained weights</source>
        <translation>den trainierten Gewichten</translation>
    </message>
    <message>
        <source>{k} of {n}</source>
        <translation>{k} von {n}</translation>
    </message>
    <message>
        <source>{node}: {units} units × {steps} steps, measured on &apos;{input}&apos; with {source}.</source>
        <translation>{node}: {units} Einheiten × {steps} Schritte, gemessen auf &apos;{input}&apos; mit {source}.</translation>
    </message>
    <message>
        <source>value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>feature</source>
        <translation>Merkmal</translation>
    </message>
    <message>
        <source>“{input}” → model: “{answer}” · reference: “{reference}” {mark}{where}</source>
        <translation>„{input}“ → Modell: „{answer}“ · Referenz: „{reference}“ {mark}{where}</translation>
    </message>
    <message>
        <source>{input} → model: {answer} ({share}) {mark}</source>
        <translation>{input} → Modell: {answer} ({share}) {mark}</translation>
    </message>
    <message>
        <source>a training phrase</source>
        <translation>eine Trainingsphrase</translation>
    </message>
    <message>
        <source>held out: never seen in training</source>
        <translation>zurückgehalten: im Training nie gesehen</translation>
    </message>
    <message>
        <source>x at step {step} ({name}): {values}</source>
        <translation>x bei Schritt {step} ({name}): {values}</translation>
    </message>
    <message>
        <source>x, feature</source>
        <translation>x, Merkmal</translation>
    </message>
    <message>
        <source>{quantity} of unit</source>
        <translation>{quantity} der Einheit</translation>
    </message>
    <message>
        <source>{what} {row} at step {step} ({name}): {value}</source>
        <translation>{what} {row} bei Schritt {step} ({name}): {value}</translation>
    </message>
</context>
<context>
    <name>LabView</name>
    <message>
        <source>Show the explanation in German / in English</source>
        <translation>Erklärung auf Deutsch / auf Englisch zeigen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop this computation</source>
        <translation>Diese Berechnung anhalten</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>The trained weights cannot be used: {problem}</source>
        <translation>Die trainierten Gewichte passen nicht: {problem}</translation>
    </message>
    <message>
        <source>Augmentation</source>
        <translation>Augmentierung</translation>
    </message>
    <message>
        <source>One sample under each augmentation the trainer uses, with strengths and the switches for the next run</source>
        <translation>Ein Beispiel unter jeder Augmentierung, die das Training nutzt, mit Stärken und den Schaltern für den nächsten Lauf</translation>
    </message>
    <message>
        <source>Playground</source>
        <translation>Spielwiese</translation>
    </message>
    <message>
        <source>Decision boundary and hidden neurons of a network on a 2-D dataset, with noise and validation-share controls</source>
        <translation>Entscheidungsgrenze und verborgene Neuronen eines Netzes auf einem 2-D-Datensatz, mit Reglern für Rauschen und Validierungsanteil</translation>
    </message>
    <message>
        <source>Overfitting twins</source>
        <translation>Überanpassung</translation>
    </message>
    <message>
        <source>Two runs from identical weights on a small subset, one regularised: watch the generalisation gap</source>
        <translation>Zwei Läufe mit identischen Startgewichten auf einer kleinen Teilmenge, einer regularisiert: Beobachten Sie die Generalisierungslücke</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>Kanäle</translation>
    </message>
    <message>
        <source>For channels of a low, mid and high layer: the input that excites each most, next to the training images that do</source>
        <translation>Für Kanäle einer frühen, mittleren und späten Schicht: die Eingabe, die jeden am stärksten anregt, neben den Trainingsbildern, die das tun</translation>
    </message>
    <message>
        <source>Loss landscape</source>
        <translation>Verlustlandschaft</translation>
    </message>
    <message>
        <source>The loss around the trained weights, the run&apos;s path through it, and SGD / momentum / Adam racing at a chosen learning rate</source>
        <translation>Der Verlust rund um die trainierten Gewichte, der Weg des Laufs hindurch und ein Wettrennen von SGD / Momentum / Adam bei einer gewählten Lernrate</translation>
    </message>
    <message>
        <source>Translation</source>
        <translation>Übersetzung</translation>
    </message>
    <message>
        <source>A sequence-to-sequence LSTM&apos;s German for English number phrases it never saw, with token and exact-match accuracy and a phrase to type</source>
        <translation>Das Deutsch eines Sequence-to-Sequence-LSTM für englische Zahlwörter, die es nie gesehen hat, mit Token-Genauigkeit, exakter Übereinstimmung und einer Phrase zum Eintippen</translation>
    </message>
    <message>
        <source>Inside the LSTM</source>
        <translation>LSTM von innen</translation>
    </message>
    <message>
        <source>Hidden state, cell state and the input, forget and output gates of an LSTM at every step of a chosen or typed input, next to the model&apos;s answer</source>
        <translation>Verborgener Zustand, Zellzustand sowie Eingabe-, Vergessens- und Ausgabetor eines LSTM bei jedem Schritt einer gewählten oder eingetippten Eingabe, neben der Antwort des Modells</translation>
    </message>
    <message>
        <source>Adversarial examples</source>
        <translation>Adversariale Beispiele</translation>
    </message>
    <message>
        <source>FGSM and PGD attacks on a validation image with an ε slider, accuracy and feature change against ε, and adversarial training</source>
        <translation>FGSM- und PGD-Angriffe auf ein Validierungsbild mit ε-Regler, Genauigkeit und Merkmalsänderung über ε und adversariales Training</translation>
    </message>
    <message>
        <source>Saliency</source>
        <translation>Salienz</translation>
    </message>
    <message>
        <source>Gradient, SmoothGrad and Grad-CAM maps of a validation image, and a drawing pad the network classifies while you draw</source>
        <translation>Gradienten-, SmoothGrad- und Grad-CAM-Karten eines Validierungsbildes und eine Zeichenfläche, die das Netz schon beim Zeichnen klassifiziert</translation>
    </message>
    <message>
        <source>Bias and shortcuts</source>
        <translation>Verzerrung und Abkürzungen</translation>
    </message>
    <message>
        <source>Train on shapes whose corner mark names the class in a share you set, then test on fair images: training vs fair accuracy, per-group table and where the network looked</source>
        <translation>Training auf Formen, deren Eckmarkierung in einem wählbaren Anteil die Klasse verrät, dann Test auf fairen Bildern: Trainings- gegen faire Genauigkeit, Tabelle je Gruppe und wohin das Netz geschaut hat</translation>
    </message>
    <message>
        <source>Transfer learning</source>
        <translation>Transferlernen</translation>
    </message>
    <message>
        <source>Fine-tune from an earlier run&apos;s weights vs train from scratch on a few images of a new dataset: both curves and how far each layer moved (padlock: frozen)</source>
        <translation>Feinabstimmung ab den Gewichten eines früheren Laufs gegen Training von Grund auf mit wenigen Bildern eines neuen Datensatzes: beide Kurven und wie weit sich jede Schicht bewegt hat (Schloss: eingefroren)</translation>
    </message>
    <message>
        <source>What does this channel look for?</source>
        <translation>Wonach sucht dieser Kanal?</translation>
    </message>
    <message>
        <source>Where does the network look?</source>
        <translation>Wohin schaut das Netz?</translation>
    </message>
</context>
<context>
    <name>LandscapeView</name>
    <message>
        <source>PCA of the run&apos;s path</source>
        <translation>PCA des Trainingswegs</translation>
    </message>
    <message>
        <source>random, filter-normalised</source>
        <translation>zufällig, filternormiert</translation>
    </message>
    <message>
        <source>SGD + momentum</source>
        <translation>SGD + Momentum</translation>
    </message>
    <message>
        <source>{line} your run, {square} its start</source>
        <translation>{line} Ihr Lauf, {square} sein Start</translation>
    </message>
    <message>
        <source>The two directions of the cut: PCA = the two directions in which the run&apos;s path moved most (Li et al. 2018, §7), so the whole path lies nearly in the plane; random = two random directions scaled filter by filter to the weights</source>
        <translation>Die zwei Richtungen des Schnitts: PCA = die zwei Richtungen, in die sich der Weg des Laufs am meisten bewegt hat (Li et al. 2018, §7), sodass der ganze Weg fast in der Ebene liegt; zufällig = zwei zufällige Richtungen, Filter für Filter auf die Gewichte skaliert</translation>
    </message>
    <message>
        <source>Compute surface</source>
        <translation>Fläche berechnen</translation>
    </message>
    <message>
        <source>Evaluate the loss on a grid around the trained weights</source>
        <translation>Den Verlust auf einem Gitter um die trainierten Gewichte auswerten</translation>
    </message>
    <message>
        <source>Race optimizers</source>
        <translation>Optimierer-Rennen</translation>
    </message>
    <message>
        <source>Train SGD, SGD + momentum and Adam from the run&apos;s start for {n} full-batch steps</source>
        <translation>SGD, SGD + Momentum und Adam vom Start des Laufs aus {n} Schritte mit dem ganzen Batch trainieren</translation>
    </message>
    <message>
        <source>Learning rate of the race (log scale: 0.0001 … 10)</source>
        <translation>Lernrate des Rennens (logarithmisch: 0,0001 … 10)</translation>
    </message>
    <message>
        <source>Directions:</source>
        <translation>Richtungen:</translation>
    </message>
    <message>
        <source>lr</source>
        <translation>LR</translation>
    </message>
    <message>
        <source>Learning rate of the race</source>
        <translation>Lernrate des Rennens</translation>
    </message>
    <message>
        <source>race step</source>
        <translation>Schritt im Rennen</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <source>PC{k}: {share} % of the path</source>
        <translation>PC{k}: {share} % des Wegs</translation>
    </message>
    <message>
        <source>weight 1</source>
        <translation>Gewicht 1</translation>
    </message>
    <message>
        <source>weight 2</source>
        <translation>Gewicht 2</translation>
    </message>
    <message>
        <source>random direction 1</source>
        <translation>Zufallsrichtung 1</translation>
    </message>
    <message>
        <source>random direction 2</source>
        <translation>Zufallsrichtung 2</translation>
    </message>
    <message>
        <source>Training: the path is drawn on a random cut through the current weights; the loss surface on the chosen cut is computed when the run ends.</source>
        <translation>Training: Der Weg wird auf einem zufälligen Schnitt durch die aktuellen Gewichte gezeichnet; die Verlustfläche auf dem gewählten Schnitt wird berechnet, wenn der Lauf endet.</translation>
    </message>
    <message>
        <source>Train the network first (Train, F5): the landscape is drawn around the trained weights.</source>
        <translation>Trainieren Sie das Netz zuerst (Trainieren, F5): Die Landschaft wird um die trainierten Gewichte gezeichnet.</translation>
    </message>
    <message>
        <source>The network was changed after run {run}: train again to see the landscape of the network as it is now.</source>
        <translation>Das Netz wurde nach Lauf {run} geändert: Trainieren Sie erneut, um die Landschaft des Netzes in seinem jetzigen Zustand zu sehen.</translation>
    </message>
    <message>
        <source>Loss on a {n}×{n} grid…</source>
        <translation>Verlust auf einem {n}×{n}-Gitter…</translation>
    </message>
    <message>
        <source>PCA of your run&apos;s path ({share} % of its spread lies in this plane)</source>
        <translation>PCA des Wegs Ihres Laufs ({share} % seiner Streuung liegen in dieser Ebene)</translation>
    </message>
    <message>
        <source>the network&apos;s two weights</source>
        <translation>die zwei Gewichte des Netzes</translation>
    </message>
    <message>
        <source>two random filter-normalised directions</source>
        <translation>zwei zufällige, filternormierte Richtungen</translation>
    </message>
    <message>
        <source>Axes: {axes}.{note} Loss at the trained weights (centre): {here}; on this cut {low} … {high}. Colour: log10(loss), dark = low.</source>
        <translation>Achsen: {axes}.{note} Verlust bei den trainierten Gewichten (Mitte): {here}; auf diesem Schnitt {low} … {high}. Farbe: log10(Verlust), dunkel = niedrig.</translation>
    </message>
    <message>
        <source>Compute the surface first: the race is drawn on it.</source>
        <translation>Berechnen Sie zuerst die Fläche: Das Rennen wird darauf gezeichnet.</translation>
    </message>
    <message>
        <source>Racing at learning rate {lr}…</source>
        <translation>Rennen mit Lernrate {lr}…</translation>
    </message>
    <message>
        <source>diverged after {n} steps</source>
        <translation>divergiert nach {n} Schritten</translation>
    </message>
    <message>
        <source>loss {start} → {end}</source>
        <translation>Verlust {start} → {end}</translation>
    </message>
    <message>
        <source>Race at learning rate {lr}: {notes}</source>
        <translation>Rennen mit Lernrate {lr}: {notes}</translation>
    </message>
</context>
<context>
    <name>LayerPanel</name>
    <message>
        <source>The layer&apos;s name: letters, digits and _; it is also the name of the PyTorch submodule</source>
        <translation>Der Name der Schicht: Buchstaben, Ziffern und _; er ist auch der Name des PyTorch-Submoduls</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>keep weights while training</source>
        <translation>Gewichte beibehalten</translation>
    </message>
    <message>
        <source>Frozen layers keep their weights (and BatchNorm statistics) exactly as they are while the network trains, as in transfer learning; same as the padlock on the canvas</source>
        <translation>Eingefrorene Schichten behalten ihre Gewichte (und BatchNorm-Statistiken) unverändert, während das Netz trainiert, wie beim Transferlernen; wie das Schloss auf der Arbeitsfläche</translation>
    </message>
    <message>
        <source>Frozen</source>
        <translation>Eingefroren</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Netz</translation>
    </message>
    <message>
        <source>{tip} (PyTorch argument: {name})</source>
        <translation>{tip} (PyTorch-Argument: {name})</translation>
    </message>
    <message>
        <source>&lt;i&gt;no parameters&lt;/i&gt;</source>
        <translation>&lt;i&gt;keine Parameter&lt;/i&gt;</translation>
    </message>
    <message>
        <source>A layer named &apos;{name}&apos; already exists.</source>
        <translation>Eine Schicht namens &apos;{name}&apos; gibt es schon.</translation>
    </message>
    <message>
        <source>&lt;i&gt;shape unknown (see the problems below)&lt;/i&gt;</source>
        <translation>&lt;i&gt;Form unbekannt (siehe die Probleme unten)&lt;/i&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;in&lt;/b&gt; {inputs} &amp;nbsp;→&amp;nbsp; &lt;b&gt;out&lt;/b&gt; {output}&lt;br&gt;{count} parameters</source>
        <translation>&lt;b&gt;ein&lt;/b&gt; {inputs} &amp;nbsp;→&amp;nbsp; &lt;b&gt;aus&lt;/b&gt; {output}&lt;br&gt;{count} Parameter</translation>
    </message>
    <message>
        <source>Fix: {fix}</source>
        <translation>Beheben: {fix}</translation>
    </message>
    <message>
        <source>Apply this fix (one undo step)</source>
        <translation>Diese Korrektur anwenden (ein Rückgängig-Schritt)</translation>
    </message>
    <message>
        <source>valid</source>
        <translation>gültig</translation>
    </message>
    <message>
        <source>{n} problem(s)</source>
        <translation>{n} Problem(e)</translation>
    </message>
    <message>
        <source>{layers} layers, {count} parameters — {state}&lt;br&gt;&lt;i&gt;Select a layer on the canvas to edit it.&lt;/i&gt;</source>
        <translation>{layers} Schichten, {count} Parameter — {state}&lt;br&gt;&lt;i&gt;Wählen Sie eine Schicht auf der Arbeitsfläche, um sie zu bearbeiten.&lt;/i&gt;</translation>
    </message>
</context>
<context>
    <name>LayerParams</name>
    <message>
        <source>bias</source>
        <translation>Bias</translation>
    </message>
    <message>
        <source>dilation</source>
        <translation>Dilatation</translation>
    </message>
    <message>
        <source>dtype</source>
        <translation>Datentyp</translation>
    </message>
    <message>
        <source>embedding dim</source>
        <translation>Einbettungsgröße</translation>
    </message>
    <message>
        <source>eps</source>
        <translation>Epsilon</translation>
    </message>
    <message>
        <source>features: x1², x1·x2, sin</source>
        <translation>Merkmale: x1², x1·x2, sin</translation>
    </message>
    <message>
        <source>groups (channels = depthwise)</source>
        <translation>Gruppen (= Kanäle: je Kanal)</translation>
    </message>
    <message>
        <source>hidden size</source>
        <translation>verborgene Größe</translation>
    </message>
    <message>
        <source>kernel size</source>
        <translation>Kerngröße</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <source>momentum</source>
        <translation>Momentum</translation>
    </message>
    <message>
        <source>negative slope</source>
        <translation>negative Steigung</translation>
    </message>
    <message>
        <source>num embeddings</source>
        <translation>Anzahl Einbettungen</translation>
    </message>
    <message>
        <source>num layers</source>
        <translation>Anzahl Schichten</translation>
    </message>
    <message>
        <source>out channels</source>
        <translation>Ausgabekanäle</translation>
    </message>
    <message>
        <source>out features</source>
        <translation>Ausgabemerkmale</translation>
    </message>
    <message>
        <source>output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>output size</source>
        <translation>Ausgabegröße</translation>
    </message>
    <message>
        <source>p</source>
        <translation>p (Wahrscheinlichkeit)</translation>
    </message>
    <message>
        <source>padding</source>
        <translation>Auffüllung</translation>
    </message>
    <message>
        <source>shape</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>steps</source>
        <translation>Schritte</translation>
    </message>
    <message>
        <source>stride</source>
        <translation>Schrittweite</translation>
    </message>
    <message>
        <source>stride (0 = kernel)</source>
        <translation>Schrittweite (0 = Kern)</translation>
    </message>
</context>
<context>
    <name>LessonPanel</name>
    <message>
        <source>No lesson open</source>
        <translation>Keine Lektion geöffnet</translation>
    </message>
    <message>
        <source>Show the lesson in German / Lektion auf Deutsch zeigen</source>
        <translation>Lektion auf Deutsch zeigen / Show the lesson in German</translation>
    </message>
    <message>
        <source>The previous step (loads its network and settings again)</source>
        <translation>Der vorige Schritt (lädt sein Netz und seine Einstellungen erneut)</translation>
    </message>
    <message>
        <source>The next step (you may go on before the check passes)</source>
        <translation>Der nächste Schritt (Sie dürfen weitergehen, bevor die Prüfung bestanden ist)</translation>
    </message>
    <message>
        <source>Open lesson file…</source>
        <translation>Lektionsdatei öffnen…</translation>
    </message>
    <message>
        <source>Open a lesson a teacher wrote (a .json lesson file)</source>
        <translation>Eine Lektion öffnen, die eine Lehrkraft geschrieben hat (eine .json-Lektionsdatei)</translation>
    </message>
    <message>
        <source>Open lesson</source>
        <translation>Lektion öffnen</translation>
    </message>
    <message>
        <source>Netzwerkstatt lessons (*.json)</source>
        <translation>Netzwerkstatt-Lektionen (*.json)</translation>
    </message>
    <message>
        <source>Cannot open lesson</source>
        <translation>Lektion kann nicht geöffnet werden</translation>
    </message>
    <message>
        <source>Stop the training first: this step loads another network.</source>
        <translation>Beenden Sie zuerst das Training: Dieser Schritt lädt ein anderes Netz.</translation>
    </message>
    <message>
        <source>Locked by the lesson step</source>
        <translation>Von der Lektion gesperrt</translation>
    </message>
    <message>
        <source>Lesso&amp;ns</source>
        <translation>Lektio&amp;nen</translation>
    </message>
    <message>
        <source>{other_title} · {count} steps</source>
        <translation>{other_title} · {count} Schritte</translation>
    </message>
    <message>
        <source>Open Lesson File…</source>
        <translation>Lektionsdatei öffnen…</translation>
    </message>
    <message>
        <source>Lesson</source>
        <translation>Lektion</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>The new language ({language}) applies from the next start. Restart now? Your network comes along, unsaved changes included.</source>
        <translation>Die neue Sprache ({language}) gilt ab dem nächsten Start. Jetzt neu starten? Ihr Netz kommt mit, auch ungespeicherte Änderungen.</translation>
    </message>
    <message>
        <source>Restart now</source>
        <translation>Jetzt neu starten</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>Später</translation>
    </message>
    <message>
        <source>Double-click a problem to select its layer</source>
        <translation>Doppelklicken Sie auf ein Problem, um seine Schicht auszuwählen</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Probleme</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>Schichten</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>Inspektor</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>&amp;New from Preset…</source>
        <translation>&amp;Neu aus Vorlage…</translation>
    </message>
    <message>
        <source>Start a new network from an example</source>
        <translation>Ein neues Netz aus einem Beispiel beginnen</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>Ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open a project file</source>
        <translation>Eine Projektdatei öffnen</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Save the project</source>
        <translation>Das Projekt speichern</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>Speichern &amp;unter…</translation>
    </message>
    <message>
        <source>Save the project under a new name</source>
        <translation>Das Projekt unter einem neuen Namen speichern</translation>
    </message>
    <message>
        <source>&amp;Import torchvision Model…</source>
        <translation>torchvision-Modell &amp;importieren…</translation>
    </message>
    <message>
        <source>Open a torchvision architecture (ResNet-18, VGG-11, MobileNetV3, AlexNet) as a network: traced with torch.fx, random weights, nothing downloaded</source>
        <translation>Eine torchvision-Architektur (ResNet-18, VGG-11, MobileNetV3, AlexNet) als Netz öffnen: mit torch.fx nachverfolgt, zufällige Gewichte, nichts wird heruntergeladen</translation>
    </message>
    <message>
        <source>Cannot import</source>
        <translation>Import nicht möglich</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Exportieren…</translation>
    </message>
    <message>
        <source>Export the network: a PyTorch training script (also runs under torchrun on many GPUs), ONNX, TorchScript, or the trained weights (safetensors)</source>
        <translation>Das Netz exportieren: als PyTorch-Trainingsskript (läuft auch mit torchrun auf vielen GPUs), ONNX, TorchScript oder die trainierten Gewichte (safetensors)</translation>
    </message>
    <message>
        <source>Exported {path}</source>
        <translation>{path} exportiert</translation>
    </message>
    <message>
        <source>Cannot export</source>
        <translation>Export nicht möglich</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Close Netzwerkstatt</source>
        <translation>Netzwerkstatt schließen</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig:</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederholen:</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>&amp;Ausschneiden</translation>
    </message>
    <message>
        <source>Cut the selected layers</source>
        <translation>Die ausgewählten Schichten ausschneiden</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>Copy the selected layers</source>
        <translation>Die ausgewählten Schichten kopieren</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Einfügen</translation>
    </message>
    <message>
        <source>Paste layers at the mouse pointer</source>
        <translation>Schichten am Mauszeiger einfügen</translation>
    </message>
    <message>
        <source>&amp;Duplicate</source>
        <translation>&amp;Duplizieren</translation>
    </message>
    <message>
        <source>Duplicate the selected layers</source>
        <translation>Die ausgewählten Schichten duplizieren</translation>
    </message>
    <message>
        <source>&amp;Delete	Del</source>
        <translation>&amp;Löschen	Entf</translation>
    </message>
    <message>
        <source>Delete the selected layers and wires (Del)</source>
        <translation>Die ausgewählten Schichten und Verbindungen löschen (Entf)</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>Alles aus&amp;wählen</translation>
    </message>
    <message>
        <source>Select every layer and wire</source>
        <translation>Alle Schichten und Verbindungen auswählen</translation>
    </message>
    <message>
        <source>&amp;Fit to View</source>
        <translation>&amp;Ganzes Netz zeigen</translation>
    </message>
    <message>
        <source>Show the whole network</source>
        <translation>Das ganze Netz zeigen</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>&amp;Vergrößern</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>Ver&amp;kleinern</translation>
    </message>
    <message>
        <source>&amp;Auto-layout</source>
        <translation>&amp;Automatisch anordnen</translation>
    </message>
    <message>
        <source>Arrange layers left to right by depth</source>
        <translation>Schichten nach Tiefe von links nach rechts anordnen</translation>
    </message>
    <message>
        <source>&amp;About Netzwerkstatt</source>
        <translation>Ü&amp;ber Netzwerkstatt</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <source>Undo {what} (Ctrl+Z)</source>
        <translation>Rückgängig: {what} (Strg+Z)</translation>
    </message>
    <message>
        <source>Redo {what} (Ctrl+Shift+Z)</source>
        <translation>Wiederholen: {what} (Strg+Umschalt+Z)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>Show Netzwerkstatt in {language} (from the next start)</source>
        <translation>Netzwerkstatt auf {language} zeigen (ab dem nächsten Start)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>Hauptwerkzeugleiste</translation>
    </message>
    <message>
        <source>{count} parameters</source>
        <translation>{count} Parameter</translation>
    </message>
    <message>
        <source>valid</source>
        <translation>gültig</translation>
    </message>
    <message>
        <source>1 problem</source>
        <translation>1 Problem</translation>
    </message>
    <message>
        <source>{n} problems</source>
        <translation>{n} Probleme</translation>
    </message>
    <message>
        <source>No problems: the network can be trained.</source>
        <translation>Keine Probleme: Das Netz kann trainiert werden.</translation>
    </message>
    <message>
        <source>Problems ({n})</source>
        <translation>Probleme ({n})</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <source>Save the changes to {name} before continuing?</source>
        <translation>Die Änderungen an {name} speichern, bevor es weitergeht?</translation>
    </message>
    <message>
        <source>Open project</source>
        <translation>Projekt öffnen</translation>
    </message>
    <message>
        <source>Netzwerkstatt projects (*.json)</source>
        <translation>Netzwerkstatt-Projekte (*.json)</translation>
    </message>
    <message>
        <source>Save project as</source>
        <translation>Projekt speichern unter</translation>
    </message>
    <message>
        <source>Import torchvision model</source>
        <translation>torchvision-Modell importieren</translation>
    </message>
    <message>
        <source>Architecture (traced with torch.fx; random weights, nothing is downloaded):</source>
        <translation>Architektur (mit torch.fx nachverfolgt; zufällige Gewichte, nichts wird heruntergeladen):</translation>
    </message>
    <message>
        <source>PyTorch training script (*.py)</source>
        <translation>PyTorch-Trainingsskript (*.py)</translation>
    </message>
    <message>
        <source>ONNX model (*.onnx)</source>
        <translation>ONNX-Modell (*.onnx)</translation>
    </message>
    <message>
        <source>TorchScript module (*.pt)</source>
        <translation>TorchScript-Modul (*.pt)</translation>
    </message>
    <message>
        <source>Trained weights (*.safetensors)</source>
        <translation>Trainierte Gewichte (*.safetensors)</translation>
    </message>
    <message>
        <source>Export network</source>
        <translation>Netz exportieren</translation>
    </message>
    <message>
        <source>Exporting {name}…</source>
        <translation>{name} wird exportiert…</translation>
    </message>
    <message>
        <source>Recover unsaved work?</source>
        <translation>Ungespeicherte Arbeit wiederherstellen?</translation>
    </message>
    <message>
        <source>Netzwerkstatt found unsaved work from {when} that was not closed cleanly. Recover it?</source>
        <translation>Netzwerkstatt hat ungespeicherte Arbeit vom {when} gefunden, die nicht sauber geschlossen wurde. Wiederherstellen?</translation>
    </message>
    <message>
        <source>Importing {name} with torch.fx…</source>
        <translation>{name} wird mit torch.fx importiert…</translation>
    </message>
    <message>
        <source>Imported {name}. Double-click a folded block to see its layers.</source>
        <translation>{name} importiert. Doppelklicken Sie auf einen gefalteten Block, um seine Schichten zu sehen.</translation>
    </message>
    <message>
        <source>Cannot open project</source>
        <translation>Projekt kann nicht geöffnet werden</translation>
    </message>
    <message>
        <source>Opened {path}. {warning}</source>
        <translation>{path} geöffnet. {warning}</translation>
    </message>
    <message>
        <source>Opened {path} with the trained weights of run {run}</source>
        <translation>{path} mit den trainierten Gewichten von Lauf {run} geöffnet</translation>
    </message>
    <message>
        <source>Opened {path}</source>
        <translation>{path} geöffnet</translation>
    </message>
    <message>
        <source>Cannot save project</source>
        <translation>Projekt kann nicht gespeichert werden</translation>
    </message>
    <message>
        <source>Saving {path} failed: {error}

Your work is still open and the file on disk is unchanged. Free some disk space or check that you may write to that folder, or use File &gt; Save As to save it somewhere else.</source>
        <translation>Speichern von {path} fehlgeschlagen: {error}

Ihre Arbeit ist noch offen und die Datei auf der Festplatte unverändert. Geben Sie Speicherplatz frei oder prüfen Sie, ob Sie in diesen Ordner schreiben dürfen, oder speichern Sie mit Datei &gt; Speichern unter an einem anderen Ort.</translation>
    </message>
    <message>
        <source>Saved {path} and the trained weights of run {run}</source>
        <translation>{path} und die trainierten Gewichte von Lauf {run} gespeichert</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>{path} gespeichert</translation>
    </message>
    <message>
        <source>(no recent files)</source>
        <translation>(keine zuletzt geöffneten Dateien)</translation>
    </message>
    <message>
        <source>Autosave failed: {error}</source>
        <translation>Automatisches Speichern fehlgeschlagen: {error}</translation>
    </message>
    <message>
        <source>Cannot recover</source>
        <translation>Wiederherstellen nicht möglich</translation>
    </message>
    <message>
        <source>The autosave is damaged: {error}</source>
        <translation>Die automatische Sicherung ist beschädigt: {error}</translation>
    </message>
    <message>
        <source>{language} from the next start</source>
        <translation>{language} ab dem nächsten Start</translation>
    </message>
    <message>
        <source>About Netzwerkstatt</source>
        <translation>Über Netzwerkstatt</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Netzwerkstatt&lt;/h3&gt;&lt;p&gt;Assemble neural networks by drag-and-drop, train them and watch them learn.&lt;/p&gt;&lt;p&gt;The network on the canvas is exactly the PyTorch module that trains.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Netzwerkstatt&lt;/h3&gt;&lt;p&gt;Neuronale Netze per Drag-and-drop zusammenbauen, trainieren und beim Lernen zusehen.&lt;/p&gt;&lt;p&gt;Das Netz auf der Arbeitsfläche ist genau das PyTorch-Modul, das trainiert.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>MisclassifiedGallery</name>
    <message>
        <source>Misclassified validation images</source>
        <translation>Falsch klassifizierte Validierungsbilder</translation>
    </message>
    <message>
        <source>Misclassified validation images: {wrong} of {n}</source>
        <translation>Falsch klassifizierte Validierungsbilder: {wrong} von {n}</translation>
    </message>
    <message>
        <source> (first {shown} shown)</source>
        <translation> (die ersten {shown} gezeigt)</translation>
    </message>
    <message>
        <source>Pictures are shown for image datasets only.</source>
        <translation>Bilder gibt es nur bei Bilddatensätzen.</translation>
    </message>
    <message>
        <source>validation image {index}: true class {true}, predicted {pred}</source>
        <translation>Validierungsbild {index}: wahre Klasse {true}, vorhergesagt {pred}</translation>
    </message>
</context>
<context>
    <name>NodeItem</name>
    <message>
        <source>output {shape}, {count} parameters</source>
        <translation>Ausgabe {shape}, {count} Parameter</translation>
    </message>
    <message>
        <source>frozen: its weights do not change while training</source>
        <translation>eingefroren: ihre Gewichte ändern sich beim Training nicht</translation>
    </message>
    <message>
        <source>{count} params</source>
        <translation>{count} Parameter</translation>
    </message>
    <message>
        <source>no weights</source>
        <translation>keine Gewichte</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Duplizieren</translation>
    </message>
    <message>
        <source>Fix: {fix}</source>
        <translation>Beheben: {fix}</translation>
    </message>
    <message>
        <source>Show feature maps</source>
        <translation>Merkmalskarten zeigen</translation>
    </message>
    <message>
        <source>Show this layer&apos;s activations in the training panel</source>
        <translation>Die Aktivierungen dieser Schicht im Trainingsbereich zeigen</translation>
    </message>
</context>
<context>
    <name>OverfittingView</name>
    <message>
        <source>train loss</source>
        <translation>Trainingsverlust</translation>
    </message>
    <message>
        <source>val loss</source>
        <translation>Val.-Verlust</translation>
    </message>
    <message>
        <source>gap (val − train)</source>
        <translation>Lücke (Val. − Train.)</translation>
    </message>
    <message>
        <source>train acc</source>
        <translation>Train.-Genauigkeit</translation>
    </message>
    <message>
        <source>val acc</source>
        <translation>Val.-Genauigkeit</translation>
    </message>
    <message>
        <source>epochs</source>
        <translation>Epochen</translation>
    </message>
    <message>
        <source>plain</source>
        <translation>einfach</translation>
    </message>
    <message>
        <source>regularised</source>
        <translation>regularisiert</translation>
    </message>
    <message>
        <source>How many training samples both twins see</source>
        <translation>Wie viele Trainingsbeispiele beide Zwillinge sehen</translation>
    </message>
    <message>
        <source>Dropout rate of the regularised twin</source>
        <translation>Dropout-Rate des regularisierten Zwillings</translation>
    </message>
    <message>
        <source>Weight decay of the regularised twin</source>
        <translation>Gewichtsverfall (weight decay) des regularisierten Zwillings</translation>
    </message>
    <message>
        <source>augmentation</source>
        <translation>Augmentierung</translation>
    </message>
    <message>
        <source>Regularised twin trains on augmented images (the project&apos;s augmentation, or rotation/crop/noise)</source>
        <translation>Der regularisierte Zwilling trainiert mit augmentierten Bildern (die Augmentierung des Projekts oder Drehung/Verschiebung/Rauschen)</translation>
    </message>
    <message>
        <source>early stopping</source>
        <translation>frühes Stoppen</translation>
    </message>
    <message>
        <source>Regularised twin stops after {n} epochs without a better validation loss and keeps its best epoch</source>
        <translation>Der regularisierte Zwilling stoppt nach {n} Epochen ohne besseren Validierungsverlust und behält seine beste Epoche</translation>
    </message>
    <message>
        <source>Epochs of each twin</source>
        <translation>Epochen je Zwilling</translation>
    </message>
    <message>
        <source>Run twins</source>
        <translation>Zwillinge trainieren</translation>
    </message>
    <message>
        <source>Train both twins from the same initial weights</source>
        <translation>Beide Zwillinge mit denselben Anfangsgewichten trainieren</translation>
    </message>
    <message>
        <source>subset</source>
        <translation>Teilmenge</translation>
    </message>
    <message>
        <source>dropout</source>
        <translation>Dropout</translation>
    </message>
    <message>
        <source>regularised twin:</source>
        <translation>Regularisierter Zwilling:</translation>
    </message>
    <message>
        <source>weight decay</source>
        <translation>Gewichtsverfall</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>Epoche</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <source>{twin} train</source>
        <translation>{twin} Training</translation>
    </message>
    <message>
        <source>{twin} val</source>
        <translation>{twin} Validierung</translation>
    </message>
    <message>
        <source>{n} samples</source>
        <translation>{n} Beispiele</translation>
    </message>
    <message>
        <source>This view needs a project: open or build a network first.</source>
        <translation>Diese Ansicht braucht ein Projekt: Öffnen oder bauen Sie zuerst ein Netz.</translation>
    </message>
    <message>
        <source>Training twins on {n} samples</source>
        <translation>Zwillinge trainieren auf {n} Beispielen</translation>
    </message>
    <message>
        <source>Augmentation only changes images: it is ignored for the &apos;{name}&apos; dataset (choose an image dataset).</source>
        <translation>Datenaugmentierung verändert nur Bilder: Für den Datensatz „{name}“ wird sie ignoriert (wählen Sie einen Bilddatensatz).</translation>
    </message>
    <message>
        <source> (best {n})</source>
        <translation> (beste {n})</translation>
    </message>
    <message>
        <source>No epoch finished.</source>
        <translation>Keine Epoche abgeschlossen.</translation>
    </message>
    <message>
        <source>Plain twin on {n} samples: validation loss lowest {low} at epoch {epoch}, final {final}; final gap plain {gap_plain} vs regularised {gap_reg}.</source>
        <translation>Einfacher Zwilling auf {n} Beispielen: Validierungsverlust am niedrigsten {low} in Epoche {epoch}, am Ende {final}; Lücke am Ende einfach {gap_plain}, regularisiert {gap_reg}.</translation>
    </message>
</context>
<context>
    <name>PadlockItem</name>
    <message>
        <source>Frozen: training leaves this layer&apos;s weights exactly as they are (transfer learning keeps what it learned before). Click to unfreeze.</source>
        <translation>Eingefroren: Das Training lässt die Gewichte dieser Schicht genau so, wie sie sind (Transferlernen behält, was vorher gelernt wurde). Klicken zum Auftauen.</translation>
    </message>
    <message>
        <source>Trainable: training changes this layer&apos;s weights. Click to freeze it, e.g. to keep the features a network learned on another dataset.</source>
        <translation>Trainierbar: Das Training ändert die Gewichte dieser Schicht. Klicken zum Einfrieren, z. B. um Merkmale zu behalten, die ein Netz auf einem anderen Datensatz gelernt hat.</translation>
    </message>
</context>
<context>
    <name>Palette</name>
    <message>
        <source>Search layers…</source>
        <translation>Schichten suchen…</translation>
    </message>
    <message>
        <source>Filter layers by name, category or explanation</source>
        <translation>Schichten nach Name, Kategorie oder Erklärung filtern</translation>
    </message>
    <message>
        <source>Drag onto the canvas, or double-click to add it after the selected layer.</source>
        <translation>Auf die Arbeitsfläche ziehen oder doppelklicken, um sie hinter der ausgewählten Schicht einzufügen.</translation>
    </message>
</context>
<context>
    <name>ParamEditor</name>
    <message>
        <source>(range {lo} … {hi})</source>
        <translation>(Bereich {lo} … {hi})</translation>
    </message>
    <message>
        <source>e.g. 1, 28, 28</source>
        <translation>z. B. 1, 28, 28</translation>
    </message>
    <message>
        <source>enter whole numbers separated by commas, e.g. 1, 28, 28</source>
        <translation>ganze Zahlen durch Kommas getrennt eingeben, z. B. 1, 28, 28</translation>
    </message>
</context>
<context>
    <name>PlaygroundView</name>
    <message>
        <source>Standard deviation of the noise added to every point</source>
        <translation>Standardabweichung des Rauschens, das zu jedem Punkt addiert wird</translation>
    </message>
    <message>
        <source>Share of all points kept aside for validation (test points)</source>
        <translation>Anteil aller Punkte, der für die Validierung zurückgehalten wird (Testpunkte)</translation>
    </message>
    <message>
        <source>Re-sample</source>
        <translation>Neu ziehen</translation>
    </message>
    <message>
        <source>Draw a new random sample of the points</source>
        <translation>Eine neue Zufallsstichprobe der Punkte ziehen</translation>
    </message>
    <message>
        <source>Discretize output</source>
        <translation>Ausgabe diskretisieren</translation>
    </message>
    <message>
        <source>Show only the predicted class, not how sure the network is</source>
        <translation>Nur die vorhergesagte Klasse zeigen, nicht wie sicher das Netz ist</translation>
    </message>
    <message>
        <source>Noise</source>
        <translation>Rauschen</translation>
    </message>
    <message>
        <source>Validation</source>
        <translation>Validierung</translation>
    </message>
    <message>
        <source>This view needs a 2-D dataset: choose xor, circle, gauss or spiral in the Training tab.</source>
        <translation>Diese Ansicht braucht einen 2-D-Datensatz: Wählen Sie im Reiter Training xor, circle, gauss oder spiral.</translation>
    </message>
    <message>
        <source>This view needs a network with one 2-D input: set the Input&apos;s shape to 2 (or start from the mlp_playground preset).</source>
        <translation>Diese Ansicht braucht ein Netz mit einer 2-D-Eingabe: Setzen Sie die Form der Input-Schicht auf 2 (oder starten Sie mit der Vorlage mlp_playground).</translation>
    </message>
    <message>
        <source>{train} training and {val} validation points</source>
        <translation>{train} Trainings- und {val} Validierungspunkte</translation>
    </message>
    <message>
        <source>{name}: input features</source>
        <translation>{name}: Eingabemerkmale</translation>
    </message>
    <message>
        <source>{count} of {width}</source>
        <translation>{count} von {width}</translation>
    </message>
    <message>
        <source>{layer}: {shown} neurons</source>
        <translation>{layer}: {shown} Neuronen</translation>
    </message>
</context>
<context>
    <name>PortItem</name>
    <message>
        <source>output: drag to another layer&apos;s input</source>
        <translation>Ausgang: zum Eingang einer anderen Schicht ziehen</translation>
    </message>
    <message>
        <source>input: accepts several wires</source>
        <translation>Eingang: nimmt mehrere Verbindungen an</translation>
    </message>
    <message>
        <source>input: takes one wire</source>
        <translation>Eingang: nimmt eine Verbindung an</translation>
    </message>
</context>
<context>
    <name>Presentation</name>
    <message>
        <source>&amp;Presenter Mode</source>
        <translation>&amp;Präsentationsmodus</translation>
    </message>
    <message>
        <source>Larger text, zoomed canvas and thicker wires and curves for a projector</source>
        <translation>Größere Schrift, vergrößerte Arbeitsfläche und dickere Verbindungen und Kurven für den Beamer</translation>
    </message>
    <message>
        <source>&amp;Dark Theme</source>
        <translation>&amp;Dunkles Design</translation>
    </message>
    <message>
        <source>Dark background (easier on the eyes in a dim room); remembered for the next start</source>
        <translation>Dunkler Hintergrund (angenehmer in einem abgedunkelten Raum); wird für den nächsten Start gemerkt</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts…</source>
        <translation>&amp;Tastenkürzel…</translation>
    </message>
    <message>
        <source>List the keys of every main action</source>
        <translation>Die Tasten aller wichtigen Aktionen auflisten</translation>
    </message>
    <message>
        <source>Presenter mode: press F11 again to leave it</source>
        <translation>Präsentationsmodus: Drücken Sie erneut F11, um ihn zu verlassen</translation>
    </message>
    <message>
        <source>Presenter mode off</source>
        <translation>Präsentationsmodus aus</translation>
    </message>
</context>
<context>
    <name>PresetGallery</name>
    <message>
        <source>New network</source>
        <translation>Neues Netz</translation>
    </message>
    <message>
        <source>Empty canvas
Start from scratch: drag layers from the palette</source>
        <translation>Leere Arbeitsfläche
Von vorn beginnen: Schichten aus der Palette ziehen</translation>
    </message>
    <message>
        <source>Start from an example network:</source>
        <translation>Mit einem Beispielnetz beginnen:</translation>
    </message>
</context>
<context>
    <name>ReplayBar</name>
    <message>
        <source>Drag to replay how the network changed during the run</source>
        <translation>Ziehen Sie, um nachzuverfolgen, wie sich das Netz im Lauf verändert hat</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Live</translation>
    </message>
    <message>
        <source>Follow the running training again</source>
        <translation>Wieder dem laufenden Training folgen</translation>
    </message>
    <message>
        <source>Replay: no snapshots yet</source>
        <translation>Wiedergabe: noch keine Momentaufnahmen</translation>
    </message>
    <message>
        <source>Replay</source>
        <translation>Wiedergabe</translation>
    </message>
    <message>
        <source>step {step}, epoch {epoch}</source>
        <translation>Schritt {step}, Epoche {epoch}</translation>
    </message>
    <message>
        <source>Live · {where}</source>
        <translation>Live · {where}</translation>
    </message>
    <message>
        <source>Replay {index}/{count} · {where}</source>
        <translation>Wiedergabe {index}/{count} · {where}</translation>
    </message>
</context>
<context>
    <name>ResultsView</name>
    <message>
        <source>Results appear after the first epoch of a classification run.</source>
        <translation>Ergebnisse erscheinen nach der ersten Epoche eines Klassifikationslaufs.</translation>
    </message>
    <message>
        <source>Epoch {epoch}: no confusion matrix for a regression task.</source>
        <translation>Epoche {epoch}: keine Konfusionsmatrix bei einer Regressionsaufgabe.</translation>
    </message>
    <message>
        <source>Read a row: of all images of that true class, how many the network called each class. Off-diagonal cells are mistakes.</source>
        <translation>Lesen Sie eine Zeile: von allen Bildern dieser wahren Klasse, wie viele das Netz welcher Klasse zugeordnet hat. Zellen abseits der Diagonale sind Fehler.</translation>
    </message>
</context>
<context>
    <name>RunViews</name>
    <message>
        <source>Curves</source>
        <translation>Kurven</translation>
    </message>
    <message>
        <source>Loss and accuracy of this and earlier runs</source>
        <translation>Verlust und Genauigkeit dieses und früherer Läufe</translation>
    </message>
    <message>
        <source>Feature maps</source>
        <translation>Merkmalskarten</translation>
    </message>
    <message>
        <source>What the low, mid and high layers respond to in one image</source>
        <translation>Worauf die unteren, mittleren und oberen Schichten in einem Bild reagieren</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>Gewichte</translation>
    </message>
    <message>
        <source>Weight and gradient histograms over time, and first-layer filters</source>
        <translation>Histogramme der Gewichte und Gradienten im Verlauf und die Filter der ersten Schicht</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Ergebnisse</translation>
    </message>
    <message>
        <source>Confusion matrix and misclassified images per epoch</source>
        <translation>Konfusionsmatrix und falsch klassifizierte Bilder pro Epoche</translation>
    </message>
</context>
<context>
    <name>RunsDialog</name>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Datensatz</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>Gewichte</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>abgeschlossen</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>divergiert</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <source>Past runs logged in the run log folder</source>
        <translation>Frühere Läufe, protokolliert im Protokollordner</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Read the run log folder again (runs that ended since)</source>
        <translation>Den Protokollordner erneut lesen (inzwischen beendete Läufe)</translation>
    </message>
    <message>
        <source>Tick runs to overlay their curves in the Curves view; select one and press Reopen to get its curves and weights back</source>
        <translation>Läufe ankreuzen, um ihre Kurven in der Ansicht „Kurven“ zu überlagern; einen auswählen und „Wieder öffnen“ drücken, um seine Kurven und Gewichte zurückzuholen</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>Wieder öffnen</translation>
    </message>
    <message>
        <source>Show the selected run&apos;s curves and, if its weights were saved and fit the network on the canvas, load them</source>
        <translation>Die Kurven des gewählten Laufs zeigen und seine Gewichte laden, wenn sie gespeichert wurden und zum Netz auf der Arbeitsfläche passen</translation>
    </message>
    <message>
        <source>No run log folder is set: choose one under Run logs in the Training tab, then train.</source>
        <translation>Kein Protokollordner eingestellt: Wählen Sie einen unter „Protokolle“ im Reiter „Training“ und trainieren Sie dann.</translation>
    </message>
    <message>
        <source>{count} run(s) in {folder}</source>
        <translation>{count} Lauf/Läufe in {folder}</translation>
    </message>
    <message>
        <source>saved</source>
        <translation>gespeichert</translation>
    </message>
    <message>
        <source>Some runs could not be read: {problems}</source>
        <translation>Einige Läufe konnten nicht gelesen werden: {problems}</translation>
    </message>
    <message>
        <source>No runs logged there yet: train once with this folder set.</source>
        <translation>Dort sind noch keine Läufe protokolliert: Trainieren Sie einmal mit diesem Ordner.</translation>
    </message>
    <message>
        <source>Reading the curves of {run}…</source>
        <translation>Lese die Kurven von {run}…</translation>
    </message>
    <message>
        <source>{count} logged run(s) shown in the Curves view.</source>
        <translation>{count} protokollierte(r) Lauf/Läufe in der Ansicht „Kurven“ gezeigt.</translation>
    </message>
    <message>
        <source>log run {run} {time}</source>
        <translation>Protokoll-Lauf {run} {time}</translation>
    </message>
    <message>
        <source>Curves of {run} shown. Its weights were not saved, so the network keeps its current weights.</source>
        <translation>Kurven von {run} gezeigt. Seine Gewichte wurden nicht gespeichert, daher behält das Netz seine aktuellen Gewichte.</translation>
    </message>
    <message>
        <source>Curves of {run} shown, but its weights do not fit the network on the canvas: {problem}</source>
        <translation>Kurven von {run} gezeigt, aber seine Gewichte passen nicht zum Netz auf der Arbeitsfläche: {problem}</translation>
    </message>
    <message>
        <source> (the network was edited since that run, but its weights still fit)</source>
        <translation> (das Netz wurde seit diesem Lauf bearbeitet, aber seine Gewichte passen noch)</translation>
    </message>
    <message>
        <source>, validation accuracy {acc}</source>
        <translation>, Validierungsgenauigkeit {acc}</translation>
    </message>
    <message>
        <source>Reopened {run}: curves shown and its weights loaded ({steps} steps{accuracy}){note}.</source>
        <translation>{run} wieder geöffnet: Kurven gezeigt und Gewichte geladen ({steps} Schritte{accuracy}){note}.</translation>
    </message>
</context>
<context>
    <name>SaliencyView</name>
    <message>
        <source>gradient</source>
        <translation>Gradient</translation>
    </message>
    <message>
        <source>low</source>
        <translation>früh</translation>
    </message>
    <message>
        <source>mid</source>
        <translation>mittel</translation>
    </message>
    <message>
        <source>high</source>
        <translation>spät</translation>
    </message>
    <message>
        <source>predicted class</source>
        <translation>vorhergesagte Klasse</translation>
    </message>
    <message>
        <source>validation image </source>
        <translation>Bild </translation>
    </message>
    <message>
        <source>Which validation image to explain</source>
        <translation>Welches Validierungsbild erklärt wird</translation>
    </message>
    <message>
        <source>The class whose score the maps explain (by default the class the network predicts)</source>
        <translation>Die Klasse, deren Wert die Karten erklären (standardmäßig die Klasse, die das Netz vorhersagt)</translation>
    </message>
    <message>
        <source>The layer whose feature maps Grad-CAM weights (by default the last conv layer with its activation)</source>
        <translation>Die Schicht, deren Merkmalskarten Grad-CAM gewichtet (standardmäßig die letzte Faltungsschicht mit ihrer Aktivierung)</translation>
    </message>
    <message>
        <source>How strongly the maps cover the image</source>
        <translation>Wie stark die Karten das Bild überdecken</translation>
    </message>
    <message>
        <source>Reload weights</source>
        <translation>Gewichte neu laden</translation>
    </message>
    <message>
        <source>Use the weights of the last run (done by itself when a run ends)</source>
        <translation>Die Gewichte des letzten Laufs verwenden (geschieht von selbst, wenn ein Lauf endet)</translation>
    </message>
    <message>
        <source>Grad-CAM layer:</source>
        <translation>Grad-CAM:</translation>
    </message>
    <message>
        <source>overlay:</source>
        <translation>Deckkraft:</translation>
    </message>
    <message>
        <source>image</source>
        <translation>Bild</translation>
    </message>
    <message>
        <source>The validation image as the network sees it</source>
        <translation>Das Validierungsbild, wie das Netz es sieht</translation>
    </message>
    <message>
        <source>|d score / d pixel|: where a small change moves the class score most</source>
        <translation>|d Wert / d Pixel|: wo eine kleine Änderung den Klassenwert am stärksten verschiebt</translation>
    </message>
    <message>
        <source>The gradient saliency averaged over noisy copies of the image</source>
        <translation>Die Gradienten-Salienz, gemittelt über verrauschte Kopien des Bildes</translation>
    </message>
    <message>
        <source>Feature maps of the chosen layer weighted by their mean gradient, rectified and scaled up to the image</source>
        <translation>Merkmalskarten der gewählten Schicht, gewichtet mit ihrem mittleren Gradienten, gleichgerichtet und auf Bildgröße hochskaliert</translation>
    </message>
    <message>
        <source>Class probabilities of the chosen image</source>
        <translation>Klassenwahrscheinlichkeiten des gewählten Bildes</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Wipe the pad</source>
        <translation>Die Zeichenfläche leeren</translation>
    </message>
    <message>
        <source>brush </source>
        <translation>Pinsel </translation>
    </message>
    <message>
        <source>Pen width in input pixels</source>
        <translation>Stiftbreite in Eingabepixeln</translation>
    </message>
    <message>
        <source>Class probabilities of your drawing</source>
        <translation>Klassenwahrscheinlichkeiten Ihrer Zeichnung</translation>
    </message>
    <message>
        <source>&lt;b&gt;Draw your own&lt;/b&gt;</source>
        <translation>&lt;b&gt;Selbst zeichnen&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Run {run} is training: the maps show the previous weights until it ends.</source>
        <translation>Lauf {run} trainiert: Die Karten zeigen bis zu seinem Ende die vorigen Gewichte.</translation>
    </message>
    <message>
        <source>There are no trained weights yet: train the network first (Training tab); this view then fills in by itself.</source>
        <translation>Es gibt noch keine trainierten Gewichte: Trainieren Sie zuerst das Netz (Reiter Training); diese Ansicht füllt sich dann von selbst.</translation>
    </message>
    <message>
        <source>The network changed since the last run: train it again to see where it looks.</source>
        <translation>Das Netz hat sich seit dem letzten Lauf geändert: Trainieren Sie es erneut, um zu sehen, wohin es schaut.</translation>
    </message>
    <message>
        <source>&apos;{dataset}&apos; is not an image classification dataset: saliency and the drawing pad need images and classes (choose shapes, mnist or cifar10)</source>
        <translation>&apos;{dataset}&apos; ist kein Datensatz zur Bildklassifikation: Salienz und Zeichenfläche brauchen Bilder und Klassen (wählen Sie shapes, mnist oder cifar10)</translation>
    </message>
    <message>
        <source>the dataset has no validation images to explain: give it a validation share</source>
        <translation>der Datensatz hat keine Validierungsbilder zum Erklären: Geben Sie ihm einen Validierungsanteil</translation>
    </message>
    <message>
        <source>Loading weights and images…</source>
        <translation>Lade Gewichte und Bilder …</translation>
    </message>
    <message>
        <source>Weights of run {run}; {n} validation images</source>
        <translation>Lauf {run}; {n} Val.-Bilder</translation>
    </message>
    <message>
        <source>Computing saliency…</source>
        <translation>Berechne Salienz …</translation>
    </message>
    <message>
        <source>&lt;b&gt;{map}&lt;/b&gt;: needs a conv layer</source>
        <translation>&lt;b&gt;{map}&lt;/b&gt;: braucht eine Faltungsschicht</translation>
    </message>
    <message>
        <source>right</source>
        <translation>richtig</translation>
    </message>
    <message>
        <source>wrong</source>
        <translation>falsch</translation>
    </message>
    <message>
        <source>true: {true} · predicted: {predicted} ({share}, {verdict}) · maps for class &lt;b&gt;{target}&lt;/b&gt; (see-through = weak, yellow = strong)</source>
        <translation>wahr: {true} · vorhergesagt: {predicted} ({share}, {verdict}) · Karten für Klasse &lt;b&gt;{target}&lt;/b&gt; (durchsichtig = schwach, gelb = stark)</translation>
    </message>
    <message>
        <source>prediction: {name} ({share}) (empty pad)</source>
        <translation>Vorhersage: {name} ({share}) (leere Fläche)</translation>
    </message>
    <message>
        <source>prediction: {name} ({share})</source>
        <translation>Vorhersage: {name} ({share})</translation>
    </message>
    <message>
        <source>{ms} ms for the prediction and the feature maps</source>
        <translation>{ms} ms für die Vorhersage und die Merkmalskarten</translation>
    </message>
</context>
<context>
    <name>ShapeCheck</name>
    <message>
        <source>{label} receives token ids (whole numbers): insert Embedding before &apos;{node}&apos; to turn them into vectors</source>
        <translation>{label} erhält Token-IDs (ganze Zahlen): Fügen Sie vor &apos;{node}&apos; ein Embedding ein, das sie in Vektoren umwandelt</translation>
    </message>
    <message>
        <source>{label} needs token ids but gets float values of shape {shape}: set the Input dtype to &apos;long&apos; or remove the {type}</source>
        <translation>{label} braucht Token-IDs, erhält aber Gleitkommawerte der Form {shape}: Setzen Sie den dtype der Eingabe auf &apos;long&apos; oder entfernen Sie {type}</translation>
    </message>
    <message>
        <source>{label}: the {k}x{k} window is larger than its {h}x{w} (padded) input; use kernel_size {fit} or less, or remove a pooling layer before &apos;{node}&apos;</source>
        <translation>{label}: Das {k}x{k}-Fenster ist größer als die {h}x{w} große (aufgefüllte) Eingabe; verwenden Sie kernel_size {fit} oder kleiner, oder entfernen Sie eine Pooling-Schicht vor &apos;{node}&apos;</translation>
    </message>
    <message>
        <source>{label}: padding {pad} must be at most half the kernel size {k}</source>
        <translation>{label}: padding {pad} darf höchstens halb so groß sein wie die Kernelgröße {k}</translation>
    </message>
    <message>
        <source>{label} needs inputs of equal rank whose sizes match or are 1 (e.g. a Cx1x1 gate on a CxHxW map): {shapes}</source>
        <translation>{label} braucht Eingaben mit gleich vielen Dimensionen, deren Größen übereinstimmen oder 1 sind (z. B. ein Cx1x1-Gate auf einer CxHxW-Karte): {shapes}</translation>
    </message>
    <message>
        <source>{label}: Concat needs equal spatial size: {sizes}; add or remove pooling on one branch so the sizes match</source>
        <translation>{label}: Concat braucht gleiche räumliche Größen: {sizes}; fügen Sie in einem Zweig Pooling hinzu oder entfernen Sie es, damit die Größen passen</translation>
    </message>
    <message>
        <source>{label} expects one score per class (a vector, or one per time step) but gets {shape}: insert Flatten and a Linear layer before it</source>
        <translation>{label} erwartet einen Wert pro Klasse (einen Vektor, oder einen pro Zeitschritt), erhält aber {shape}: Fügen Sie davor Flatten und eine Linear-Schicht ein</translation>
    </message>
    <message>
        <source>Insert {layer} before &apos;{node}&apos;</source>
        <translation>{layer} vor &apos;{node}&apos; einfügen</translation>
    </message>
    <message>
        <source>Set {param} of &apos;{node}&apos; to {value}</source>
        <translation>{param} von &apos;{node}&apos; auf {value} setzen</translation>
    </message>
    <message>
        <source>Insert Reshape to 1x{side}x{side} before &apos;{node}&apos;</source>
        <translation>Reshape auf 1x{side}x{side} vor &apos;{node}&apos; einfügen</translation>
    </message>
    <message>
        <source>{label} needs an image (channels x height x width) but gets {shape}: reshape the data into an image before &apos;{node}&apos; or use Linear instead</source>
        <translation>{label} braucht ein Bild (Kanäle x Höhe x Breite), erhält aber {shape}: Formen Sie die Daten vor &apos;{node}&apos; in ein Bild um oder verwenden Sie stattdessen Linear</translation>
    </message>
    <message>
        <source>{label} needs a sequence (time x features) but gets {shape}: reshape it with Reshape [-1, features] before &apos;{node}&apos;</source>
        <translation>{label} braucht eine Sequenz (Zeit x Merkmale), erhält aber {shape}: Formen Sie sie vor &apos;{node}&apos; mit Reshape [-1, Merkmale] um</translation>
    </message>
    <message>
        <source>{label} expects a flat vector but gets a {shape} feature map: insert Flatten before &apos;{node}&apos;</source>
        <translation>{label} erwartet einen flachen Vektor, erhält aber eine {shape}-Merkmalskarte: Fügen Sie vor &apos;{node}&apos; Flatten ein</translation>
    </message>
    <message>
        <source>{label} needs one vector per sample but gets a sequence {shape}: set the LSTM before &apos;{node}&apos; to output its last step only, or insert Flatten</source>
        <translation>{label} braucht einen Vektor pro Beispiel, erhält aber eine Sequenz {shape}: Stellen Sie das LSTM vor &apos;{node}&apos; so ein, dass es nur seinen letzten Schritt ausgibt, oder fügen Sie Flatten ein</translation>
    </message>
    <message>
        <source>Make &apos;{node}&apos; output {n} channels</source>
        <translation>&apos;{node}&apos; {n} Kanäle ausgeben lassen</translation>
    </message>
    <message>
        <source>Make &apos;{node}&apos; output {n} features</source>
        <translation>&apos;{node}&apos; {n} Merkmale ausgeben lassen</translation>
    </message>
    <message>
        <source>{label} needs inputs of equal shape: {shapes}</source>
        <translation>{label} braucht Eingaben gleicher Form: {shapes}</translation>
    </message>
    <message>
        <source>cycle through {cycle}: remove one of these wires (networks must flow forward)</source>
        <translation>Zyklus über {cycle}: Entfernen Sie eine dieser Verbindungen (Netze müssen vorwärts fließen)</translation>
    </message>
    <message>
        <source>the network has no Input layer: drag one from the palette and wire it to the first layer</source>
        <translation>Das Netz hat keine Input-Schicht: Ziehen Sie eine aus der Palette und verbinden Sie sie mit der ersten Schicht</translation>
    </message>
    <message>
        <source>the network has no Output layer: add one after the last layer so it can be trained</source>
        <translation>Das Netz hat keine Output-Schicht: Fügen Sie eine nach der letzten Schicht hinzu, damit es trainiert werden kann</translation>
    </message>
    <message>
        <source>{label}: unknown layer type; known types are {types}</source>
        <translation>{label}: unbekannter Schichttyp; bekannte Typen sind {types}</translation>
    </message>
    <message>
        <source>Reset {param} to {value}</source>
        <translation>{param} auf {value} zurücksetzen</translation>
    </message>
    <message>
        <source>{label}: every size of its shape must be positive (got {shape}); only Reshape may use -1 for &apos;the rest&apos;</source>
        <translation>{label}: Jede Größe der Form muss positiv sein (erhalten: {shape}); nur Reshape darf -1 für „den Rest“ verwenden</translation>
    </message>
    <message>
        <source>{label}: engineered features (x1², sin x1, ...) need 2-D float points, but the shape is {shape}: turn &apos;features&apos; off or set the shape to 2</source>
        <translation>{label}: Berechnete Merkmale (x1², sin x1, ...) brauchen 2-D-Gleitkommapunkte, die Form ist aber {shape}: Schalten Sie &apos;features&apos; aus oder setzen Sie die Form auf 2</translation>
    </message>
    <message>
        <source>Turn features of &apos;{node}&apos; off</source>
        <translation>features von &apos;{node}&apos; ausschalten</translation>
    </message>
    <message>
        <source>{label} needs an input: drag a wire from the previous layer&apos;s output into &apos;{node}&apos;</source>
        <translation>{label} braucht eine Eingabe: Ziehen Sie eine Verbindung vom Ausgang der vorigen Schicht nach &apos;{node}&apos;</translation>
    </message>
    <message>
        <source>{label} needs at least {n} inputs: drag a wire from the previous layer&apos;s output into &apos;{node}&apos;</source>
        <translation>{label} braucht mindestens {n} Eingaben: Ziehen Sie eine Verbindung vom Ausgang der vorigen Schicht nach &apos;{node}&apos;</translation>
    </message>
    <message>
        <source>{label} takes one input but has {n}: use Add or Concat to merge branches</source>
        <translation>{label} nimmt eine Eingabe, hat aber {n}: Verwenden Sie Add oder Concat, um Zweige zusammenzuführen</translation>
    </message>
    <message>
        <source>{label} is wired to the end of Output &apos;{output}&apos;: an Output has no outgoing data; wire from the layer before it instead</source>
        <translation>{label} ist mit dem Ende von Output &apos;{output}&apos; verbunden: Ein Output gibt keine Daten weiter; verbinden Sie stattdessen die Schicht davor</translation>
    </message>
    <message>
        <source>{label} cannot process input {shape}: {error}</source>
        <translation>{label} kann die Eingabe {shape} nicht verarbeiten: {error}</translation>
    </message>
    <message>
        <source>{label} would have {n:,} weights (limit {limit:,}): make its input smaller, e.g. with pooling before &apos;{node}&apos;, or give it fewer outputs</source>
        <translation>{label} hätte {n:,} Gewichte (Grenze {limit:,}): Verkleinern Sie die Eingabe, z. B. mit Pooling vor &apos;{node}&apos;, oder geben Sie der Schicht weniger Ausgaben</translation>
    </message>
    <message>
        <source>{label} outputs {shape} = {n:,} values per sample (limit {limit:,}): use smaller sizes or fewer channels</source>
        <translation>{label} gibt {shape} = {n:,} Werte pro Beispiel aus (Grenze {limit:,}): Verwenden Sie kleinere Größen oder weniger Kanäle</translation>
    </message>
    <message>
        <source>{label} is not connected to an Output and will be ignored in training</source>
        <translation>{label} ist mit keinem Output verbunden und wird beim Training ignoriert</translation>
    </message>
    <message>
        <source>training needs exactly one Input and one Output layer (this network has {inputs} and {outputs}): remove the extra ones</source>
        <translation>Das Training braucht genau eine Input- und eine Output-Schicht (dieses Netz hat {inputs} und {outputs}): Entfernen Sie die überzähligen</translation>
    </message>
    <message>
        <source>nothing before Output &apos;{node}&apos; can learn: add a Linear or Conv2d layer</source>
        <translation>Nichts vor Output &apos;{node}&apos; kann lernen: Fügen Sie eine Linear- oder Conv2d-Schicht hinzu</translation>
    </message>
    <message>
        <source>every layer with weights before Output &apos;{node}&apos; is frozen, so nothing can learn: unfreeze at least one (click its padlock)</source>
        <translation>Jede Schicht mit Gewichten vor Output &apos;{node}&apos; ist eingefroren, also kann nichts lernen: Tauen Sie mindestens eine auf (klicken Sie auf ihr Schloss)</translation>
    </message>
    <message>
        <source>Input &apos;{node}&apos; expects {want} but the dataset gives {shape}: set its shape to {value}</source>
        <translation>Input &apos;{node}&apos; erwartet {want}, der Datensatz liefert aber {shape}: Setzen Sie die Form auf {value}</translation>
    </message>
    <message>
        <source>token ids (whole numbers)</source>
        <translation>Token-IDs (ganze Zahlen)</translation>
    </message>
    <message>
        <source>float values</source>
        <translation>Gleitkommawerte</translation>
    </message>
    <message>
        <source>Input &apos;{node}&apos; expects {want} but the dataset gives {given}: set its dtype to &apos;{dtype}&apos; and remove the Embedding</source>
        <translation>Input &apos;{node}&apos; erwartet {want}, der Datensatz liefert aber {given}: Setzen Sie den dtype auf &apos;{dtype}&apos; und entfernen Sie das Embedding</translation>
    </message>
    <message>
        <source>Input &apos;{node}&apos; expects {want} but the dataset gives {given}: set its dtype to &apos;{dtype}&apos;</source>
        <translation>Input &apos;{node}&apos; erwartet {want}, der Datensatz liefert aber {given}: Setzen Sie den dtype auf &apos;{dtype}&apos;</translation>
    </message>
    <message>
        <source>Output &apos;{node}&apos; ({loss}) gets {shape} values per sample but the dataset&apos;s targets are class labels: insert Flatten and a Linear layer with {classes} outputs before it</source>
        <translation>Output &apos;{node}&apos; ({loss}) erhält {shape} Werte pro Beispiel, die Ziele des Datensatzes sind aber Klassenlabels: Fügen Sie davor Flatten und eine Linear-Schicht mit {classes} Ausgaben ein</translation>
    </message>
    <message>
        <source>Output &apos;{node}&apos; gets {scores} scores but the dataset has {classes} classes: the last layer needs {classes} outputs</source>
        <translation>Output &apos;{node}&apos; erhält {scores} Werte, der Datensatz hat aber {classes} Klassen: Die letzte Schicht braucht {classes} Ausgaben</translation>
    </message>
    <message>
        <source>Output &apos;{node}&apos; uses {loss}, but the dataset&apos;s targets are {steps} token ids per sample: use cross_entropy, which scores each word and skips the padding</source>
        <translation>Output &apos;{node}&apos; verwendet {loss}, die Ziele des Datensatzes sind aber {steps} Token-IDs pro Beispiel: Verwenden Sie cross_entropy, das jedes Wort bewertet und das Padding überspringt</translation>
    </message>
    <message>
        <source>Output &apos;{node}&apos; gets {shape} values per sample but the dataset&apos;s targets are {steps} token ids per sample: it needs {steps} steps of word scores (e.g. RepeatSteps with {steps} steps before a decoder LSTM with output &apos;sequence&apos;)</source>
        <translation>Output &apos;{node}&apos; erhält {shape} Werte pro Beispiel, die Ziele des Datensatzes sind aber {steps} Token-IDs pro Beispiel: Es braucht {steps} Schritte mit Wortwerten (z. B. RepeatSteps mit {steps} Schritten vor einem Decoder-LSTM mit output &apos;sequence&apos;)</translation>
    </message>
    <message>
        <source>{name} is not a valid layer name: use letters, digits and _ only, not starting with a digit</source>
        <translation>{name} ist kein gültiger Schichtname: Verwenden Sie nur Buchstaben, Ziffern und _, nicht mit einer Ziffer am Anfang</translation>
    </message>
    <message>
        <source>{name} is a name Python or PyTorch already uses: choose another name, e.g. &apos;{example}_1&apos;</source>
        <translation>{name} ist ein Name, den Python oder PyTorch schon verwendet: Wählen Sie einen anderen Namen, z. B. &apos;{example}_1&apos;</translation>
    </message>
</context>
<context>
    <name>ShortcutSheet</name>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <source>Canvas</source>
        <translation>Arbeitsfläche</translation>
    </message>
    <message>
        <source>Delete the selected layers and wires</source>
        <translation>Die gewählten Schichten und Verbindungen löschen</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Tasten</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation>Menü</translation>
    </message>
</context>
<context>
    <name>StartupWindow</name>
    <message>
        <source>Loading PyTorch…</source>
        <translation>PyTorch wird geladen…</translation>
    </message>
    <message>
        <source>Loading the plots…</source>
        <translation>Die Diagramme werden geladen…</translation>
    </message>
    <message>
        <source>Loading the editor…</source>
        <translation>Der Editor wird geladen…</translation>
    </message>
    <message>
        <source>Preparing the shape checks…</source>
        <translation>Die Formprüfung wird vorbereitet…</translation>
    </message>
    <message>
        <source>Netzwerkstatt is loading PyTorch and the editor</source>
        <translation>Netzwerkstatt lädt PyTorch und den Editor</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>Close Netzwerkstatt</source>
        <translation>Netzwerkstatt schließen</translation>
    </message>
    <message>
        <source>Opening the editor…</source>
        <translation>Der Editor wird geöffnet…</translation>
    </message>
    <message>
        <source>Netzwerkstatt could not start</source>
        <translation>Netzwerkstatt konnte nicht starten</translation>
    </message>
    <message>
        <source>Loading PyTorch and the editor failed:
{0}

Reinstall the packages with `make install` (or `pip install -e .` in the project folder) and start again; the details are on the terminal.</source>
        <translation>PyTorch und der Editor konnten nicht geladen werden:
{0}

Installieren Sie die Pakete neu mit `make install` (oder `pip install -e .` im Projektordner) und starten Sie erneut; die Einzelheiten stehen im Terminal.</translation>
    </message>
    <message>
        <source>Loading failed</source>
        <translation>Laden fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>SummaryPanel</name>
    <message>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>Params</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>&lt;b&gt;Total parameters:&lt;/b&gt; {total}&lt;br&gt;&lt;b&gt;Weights:&lt;/b&gt; {weights} (float32)&lt;br&gt;&lt;b&gt;Activations:&lt;/b&gt; {activations} per sample&lt;br&gt;&lt;b&gt;Estimated memory&lt;/b&gt; (batch 1): {memory}</source>
        <translation>&lt;b&gt;Parameter insgesamt:&lt;/b&gt; {total}&lt;br&gt;&lt;b&gt;Gewichte:&lt;/b&gt; {weights} (float32)&lt;br&gt;&lt;b&gt;Aktivierungen:&lt;/b&gt; {activations} pro Beispiel&lt;br&gt;&lt;b&gt;Geschätzter Speicher&lt;/b&gt; (Batch 1): {memory}</translation>
    </message>
    <message>
        <source>No trained weights yet — train the network to keep its weights with the project</source>
        <translation>Noch keine trainierten Gewichte — trainieren Sie das Netz, um seine Gewichte mit dem Projekt zu behalten</translation>
    </message>
    <message>
        <source>Trained weights of run {run} do not match the edited network (they are kept as they are and saved; train again to update them)</source>
        <translation>Die trainierten Gewichte von Lauf {run} passen nicht zum bearbeiteten Netz (sie bleiben, wie sie sind, und werden gespeichert; trainieren Sie erneut, um sie zu aktualisieren)</translation>
    </message>
    <message>
        <source>accuracy not measured</source>
        <translation>Genauigkeit nicht gemessen</translation>
    </message>
    <message>
        <source>accuracy {acc} %</source>
        <translation>Genauigkeit {acc} %</translation>
    </message>
    <message>
        <source>1 epoch</source>
        <translation>1 Epoche</translation>
    </message>
    <message>
        <source>{n} epochs</source>
        <translation>{n} Epochen</translation>
    </message>
    <message>
        <source>1 step</source>
        <translation>1 Schritt</translation>
    </message>
    <message>
        <source>{n} steps</source>
        <translation>{n} Schritte</translation>
    </message>
    <message>
        <source>Trained weights: run {run}, {accuracy} ({dataset}, {length})</source>
        <translation>Trainierte Gewichte: Lauf {run}, {accuracy} ({dataset}, {length})</translation>
    </message>
</context>
<context>
    <name>TopBars</name>
    <message>
        <source>class {index}: {name} (the true class)</source>
        <translation>Klasse {index}: {name} (die wahre Klasse)</translation>
    </message>
    <message>
        <source>class {index}: {name}</source>
        <translation>Klasse {index}: {name}</translation>
    </message>
</context>
<context>
    <name>TorchrunDialog</name>
    <message>
        <source>Train with torchrun</source>
        <translation>Mit torchrun trainieren</translation>
    </message>
    <message>
        <source>Could not write the script: {problem}</source>
        <translation>Das Skript konnte nicht geschrieben werden: {problem}</translation>
    </message>
    <message>
        <source>CPU processes (gloo)</source>
        <translation>CPU-Prozesse (gloo)</translation>
    </message>
    <message>
        <source>GPUs (nccl), {count} here</source>
        <translation>GPUs (nccl), {count} vorhanden</translation>
    </message>
    <message>
        <source>GPUs (none here)</source>
        <translation>GPUs (keine vorhanden)</translation>
    </message>
    <message>
        <source>CPU processes let you try distributed training on any machine; GPUs: one process per GPU</source>
        <translation>Mit CPU-Prozessen können Sie verteiltes Training auf jedem Rechner ausprobieren; GPUs: ein Prozess pro GPU</translation>
    </message>
    <message>
        <source>Processes per machine (--nproc_per_node): one per GPU, or a few CPU processes</source>
        <translation>Prozesse pro Rechner (--nproc_per_node): einer pro GPU oder einige CPU-Prozesse</translation>
    </message>
    <message>
        <source>Passes over the training set (--epochs); the other settings are the project&apos;s</source>
        <translation>Durchläufe durch die Trainingsdaten (--epochs); die übrigen Einstellungen sind die des Projekts</translation>
    </message>
    <message>
        <source>a new temporary folder</source>
        <translation>ein neuer temporärer Ordner</translation>
    </message>
    <message>
        <source>Where the script, its data file and the trained weights are written</source>
        <translation>Wohin das Skript, seine Datendatei und die trainierten Gewichte geschrieben werden</translation>
    </message>
    <message>
        <source>Run on</source>
        <translation>Ausführen auf</translation>
    </message>
    <message>
        <source>Processes</source>
        <translation>Prozesse</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>Epochen</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <source>The command for this machine</source>
        <translation>Der Befehl für diesen Rechner</translation>
    </message>
    <message>
        <source>Machines taking part (--nnodes)</source>
        <translation>Beteiligte Rechner (--nnodes)</translation>
    </message>
    <message>
        <source>host:port of one node that all others can reach (--rdzv-endpoint)</source>
        <translation>host:port eines Knotens, den alle anderen erreichen können (--rdzv-endpoint)</translation>
    </message>
    <message>
        <source>Run this same line on every node</source>
        <translation>Dieselbe Zeile auf jedem Knoten ausführen</translation>
    </message>
    <message>
        <source>On a cluster (several machines)</source>
        <translation>Auf einem Cluster (mehrere Rechner)</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>Rendezvous</source>
        <translation>Rendezvous</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Write the script and run it here with torchrun</source>
        <translation>Das Skript schreiben und hier mit torchrun ausführen</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <source>End torchrun and every process it started</source>
        <translation>torchrun und alle gestarteten Prozesse beenden</translation>
    </message>
    <message>
        <source>Load weights</source>
        <translation>Gewichte laden</translation>
    </message>
    <message>
        <source>Keep the weights the script saved with the project (they must fit the network on the canvas)</source>
        <translation>Die vom Skript gespeicherten Gewichte im Projekt behalten (sie müssen zum Netz auf der Arbeitsfläche passen)</translation>
    </message>
    <message>
        <source>The end of torchrun&apos;s error output</source>
        <translation>Das Ende der Fehlerausgabe von torchrun</translation>
    </message>
    <message>
        <source>Command (this machine)</source>
        <translation>Befehl (dieser Rechner)</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Copy the command to the clipboard</source>
        <translation>Den Befehl in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <source>Writing the script…</source>
        <translation>Schreibe das Skript…</translation>
    </message>
    <message>
        <source>Running: {command}</source>
        <translation>Läuft: {command}</translation>
    </message>
    <message>
        <source>Stopping torchrun and all its processes…</source>
        <translation>Beende torchrun und alle seine Prozesse…</translation>
    </message>
    <message>
        <source> · accuracy {acc}</source>
        <translation> · Genauigkeit {acc}</translation>
    </message>
    <message>
        <source>Epoch {epoch} · step {step} · loss {loss}{accuracy} · {rate} samples/s</source>
        <translation>Epoche {epoch} · Schritt {step} · Verlust {loss}{accuracy} · {rate} Beispiele/s</translation>
    </message>
    <message>
        <source>The weights do not fit the network on the canvas: {problem}</source>
        <translation>Die Gewichte passen nicht zum Netz auf der Arbeitsfläche: {problem}</translation>
    </message>
    <message>
        <source>Loaded the weights from {file} into the network.</source>
        <translation>Die Gewichte aus {file} wurden in das Netz geladen.</translation>
    </message>
</context>
<context>
    <name>TrainingControls</name>
    <message>
        <source>Flip</source>
        <translation>Spiegeln</translation>
    </message>
    <message>
        <source>mirror images left-right at random</source>
        <translation>Bilder zufällig links-rechts spiegeln</translation>
    </message>
    <message>
        <source>Rotate</source>
        <translation>Drehen</translation>
    </message>
    <message>
        <source>rotate by up to ±{:g}°</source>
        <translation>um bis zu ±{:g}° drehen</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>Schieben</translation>
    </message>
    <message>
        <source>shift by up to ±{:g} pixels (random crop)</source>
        <translation>um bis zu ±{:g} Pixel verschieben (zufälliger Ausschnitt)</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Farbe</translation>
    </message>
    <message>
        <source>change brightness and contrast by up to ±{:.0%}</source>
        <translation>Helligkeit und Kontrast um bis zu ±{:.0%} ändern</translation>
    </message>
    <message>
        <source>Noise</source>
        <translation>Rauschen</translation>
    </message>
    <message>
        <source>add Gaussian noise with std {:g}</source>
        <translation>Gaußsches Rauschen mit Standardabweichung {:g} hinzufügen</translation>
    </message>
    <message>
        <source>Elastic</source>
        <translation>Elastisch</translation>
    </message>
    <message>
        <source>warp with a smooth random field, about {:g} pixels</source>
        <translation>mit einem glatten Zufallsfeld verzerren, etwa {:g} Pixel</translation>
    </message>
    <message>
        <source>full speed</source>
        <translation>volles Tempo</translation>
    </message>
    <message>
        <source>slow motion</source>
        <translation>Zeitlupe</translation>
    </message>
    <message>
        <source>very slow</source>
        <translation>sehr langsam</translation>
    </message>
    <message>
        <source>Choose the folder (torchvision sets: the root that contains MNIST/, cifar-10-batches-py/, …; image folder: one subfolder per class)</source>
        <translation>Den Ordner wählen (torchvision-Datensätze: der Stammordner mit MNIST/, cifar-10-batches-py/, …; Bildordner: ein Unterordner pro Klasse)</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Laden</translation>
    </message>
    <message>
        <source>Download the torchvision set into the folder if it is missing (needs internet)</source>
        <translation>Den torchvision-Datensatz in den Ordner herunterladen, falls er fehlt (braucht Internet)</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Vorschau</translation>
    </message>
    <message>
        <source>Load a few samples of the dataset</source>
        <translation>Einige Beispiele des Datensatzes laden</translation>
    </message>
    <message>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>Train on a random subset of this many samples (fewer = faster, but overfits sooner)</source>
        <translation>Auf einer zufälligen Teilmenge mit so vielen Beispielen trainieren (weniger = schneller, aber früher Überanpassung)</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Daten</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Datensatz</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>Beispiele</translation>
    </message>
    <message>
        <source>Augment</source>
        <translation>Augment.</translation>
    </message>
    <message>
        <source>How the weights are updated from the gradients</source>
        <translation>Wie die Gewichte aus den Gradienten aktualisiert werden</translation>
    </message>
    <message>
        <source>Learning rate: how big each weight update is. Can be changed while training.</source>
        <translation>Lernrate: wie groß jede Aktualisierung der Gewichte ist. Lässt sich während des Trainings ändern.</translation>
    </message>
    <message>
        <source>Samples per weight update</source>
        <translation>Beispiele pro Aktualisierung der Gewichte</translation>
    </message>
    <message>
        <source>Passes over the whole training set</source>
        <translation>Durchläufe durch den ganzen Trainingsdatensatz</translation>
    </message>
    <message>
        <source>Slow motion for a class watching on a projector: every training step takes at least 0.12 s (very slow: 0.4 s), so the curves and feature maps change slowly enough to follow</source>
        <translation>Zeitlupe für eine Klasse am Beamer: Jeder Trainingsschritt dauert mindestens 0,12 s (sehr langsam: 0,4 s), damit sich Kurven und Merkmalskarten langsam genug ändern, um ihnen zu folgen</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>Folder for run logs: each run writes TensorBoard files (curves, histograms, feature maps) and a summary into a subfolder of it. Empty: no logs. Past runs: Training &gt; Runs…</source>
        <translation>Ordner für Protokolle: Jeder Lauf schreibt TensorBoard-Dateien (Kurven, Histogramme, Merkmalskarten) und eine Zusammenfassung in einen Unterordner. Leer: keine Protokolle. Frühere Läufe: Training &gt; Läufe…</translation>
    </message>
    <message>
        <source>Choose the run log folder</source>
        <translation>Den Protokollordner wählen</translation>
    </message>
    <message>
        <source>Hyperparameters</source>
        <translation>Hyperparameter</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>Optimierer</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>Batchgröße</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>Epochen</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Tempo</translation>
    </message>
    <message>
        <source>Run logs</source>
        <translation>Protokolle</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Nicht gestartet</translation>
    </message>
    <message>
        <source>⚠ The network was edited since this run started. The run keeps training the network as it was; press Train again to train the new one.</source>
        <translation>⚠ Das Netz wurde seit dem Start dieses Laufs bearbeitet. Der Lauf trainiert das Netz weiter, wie es war; drücken Sie erneut „Trainieren“, um das neue zu trainieren.</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>— built in (offline) —</source>
        <translation>— eingebaut (offline) —</translation>
    </message>
    <message>
        <source>— torchvision (folder or download) —</source>
        <translation>— torchvision (Ordner oder Download) —</translation>
    </message>
    <message>
        <source>image folder…</source>
        <translation>Bildordner…</translation>
    </message>
    <message>
        <source>Your own pictures: one subfolder per class</source>
        <translation>Eigene Bilder: ein Unterordner pro Klasse</translation>
    </message>
    <message>
        <source>auto ({device})</source>
        <translation>auto ({device})</translation>
    </message>
    <message>
        <source>CUDA (no GPU found)</source>
        <translation>CUDA (keine GPU gefunden)</translation>
    </message>
    <message>
        <source>MPS (Apple GPU)</source>
        <translation>MPS (Apple-GPU)</translation>
    </message>
    <message>
        <source>MPS (not available)</source>
        <translation>MPS (nicht verfügbar)</translation>
    </message>
    <message>
        <source>Where the network trains; unavailable devices are greyed out</source>
        <translation>Wo das Netz trainiert; nicht verfügbare Geräte sind ausgegraut</translation>
    </message>
    <message>
        <source>Choose the data folder</source>
        <translation>Den Datenordner wählen</translation>
    </message>
    <message>
        <source>{seconds} s per step</source>
        <translation>{seconds} s pro Schritt</translation>
    </message>
    <message>
        <source>folder with one subfolder per class</source>
        <translation>Ordner mit einem Unterordner pro Klasse</translation>
    </message>
    <message>
        <source>Choose the folder, then press Preview to see a few samples.</source>
        <translation>Wählen Sie den Ordner und drücken Sie dann „Vorschau“, um einige Beispiele zu sehen.</translation>
    </message>
    <message>
        <source>Loading a few samples…</source>
        <translation>Lade einige Beispiele…</translation>
    </message>
    <message>
        <source>Epoch {epoch}/{epochs} · batch {batch}/{batches} · step {step}/{steps}
{rate} samples/s · ETA {eta}</source>
        <translation>Epoche {epoch}/{epochs} · Batch {batch}/{batches} · Schritt {step}/{steps}
{rate} Beispiele/s · noch {eta}</translation>
    </message>
    <message>
        <source> · accuracy {acc}</source>
        <translation> · Genauigkeit {acc}</translation>
    </message>
    <message>
        <source>loss {loss}{accuracy} · lr {lr}</source>
        <translation>Verlust {loss}{accuracy} · LR {lr}</translation>
    </message>
</context>
<context>
    <name>TrainingDock</name>
    <message>
        <source>Training</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>Curves, feature maps and weight histograms of the run together, with the run buttons</source>
        <translation>Kurven, Merkmalskarten und Gewichtshistogramme des Laufs zusammen, mit den Knöpfen für den Lauf</translation>
    </message>
    <message>
        <source>&amp;Training</source>
        <translation>&amp;Training</translation>
    </message>
    <message>
        <source>Runs…</source>
        <translation>Läufe…</translation>
    </message>
    <message>
        <source>Compare and reopen past runs from the run log folder</source>
        <translation>Frühere Läufe aus dem Protokollordner vergleichen und wieder öffnen</translation>
    </message>
    <message>
        <source>Train with torchrun…</source>
        <translation>Mit torchrun trainieren…</translation>
    </message>
    <message>
        <source>Run the exported script on several processes or GPUs with PyTorch&apos;s torchrun, and see the command for a cluster</source>
        <translation>Das exportierte Skript mit torchrun von PyTorch auf mehreren Prozessen oder GPUs ausführen und den Befehl für einen Cluster sehen</translation>
    </message>
    <message>
        <source>&amp;Lab</source>
        <translation>&amp;Labor</translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <source>Train</source>
        <translation>Trainieren</translation>
    </message>
    <message>
        <source>Start training a frozen copy of the network</source>
        <translation>Das Training einer eingefrorenen Kopie des Netzes starten</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Hold training after the current batch</source>
        <translation>Das Training nach dem aktuellen Batch anhalten</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Continue training</source>
        <translation>Das Training fortsetzen</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <source>End the run after the current batch</source>
        <translation>Den Lauf nach dem aktuellen Batch beenden</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Pause and train exactly one more batch</source>
        <translation>Anhalten und genau einen weiteren Batch trainieren</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Starte…</translation>
    </message>
    <message>
        <source>Run {run}: starting on a frozen copy of the network.</source>
        <translation>Lauf {run}: startet mit einer eingefrorenen Kopie des Netzes.</translation>
    </message>
    <message>
        <source>&apos;{dataset}&apos; has {classes} classes, but the network&apos;s last layer has a different number of outputs.</source>
        <translation>„{dataset}“ hat {classes} Klassen, aber die letzte Schicht des Netzes hat eine andere Anzahl von Ausgaben.</translation>
    </message>
    <message>
        <source>Fit the network to the dataset</source>
        <translation>Das Netz an den Datensatz anpassen</translation>
    </message>
    <message>
        <source>Paused. Step trains one batch; Resume continues.</source>
        <translation>Angehalten. „Schritt“ trainiert einen Batch; „Fortsetzen“ macht weiter.</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Nicht gestartet</translation>
    </message>
    <message>
        <source>Step {step}/{steps} · epoch {epoch}/{epochs} · ETA {eta} · {metrics}</source>
        <translation>Schritt {step}/{steps} · Epoche {epoch}/{epochs} · noch {eta} · {metrics}</translation>
    </message>
    <message>
        <source>Run log: {path}</source>
        <translation>Protokoll: {path}</translation>
    </message>
    <message>
        <source>Training diverged</source>
        <translation>Training divergiert</translation>
    </message>
    <message>
        <source>Training failed</source>
        <translation>Training fehlgeschlagen</translation>
    </message>
    <message>
        <source>Training was stopped after {steps} steps.</source>
        <translation>Das Training wurde nach {steps} Schritten gestoppt.</translation>
    </message>
    <message>
        <source>validation token accuracy {acc}, exact match {exact}</source>
        <translation>Token-Genauigkeit (Validierung) {acc}, exakt richtig {exact}</translation>
    </message>
    <message>
        <source>validation accuracy {acc}</source>
        <translation>Validierungsgenauigkeit {acc}</translation>
    </message>
    <message>
        <source>validation loss {loss}</source>
        <translation>Validierungsverlust {loss}</translation>
    </message>
    <message>
        <source>Finished {steps} steps ({epochs} epochs): {result}.</source>
        <translation>{steps} Schritte fertig ({epochs} Epochen): {result}.</translation>
    </message>
    <message>
        <source>Loading the data to show the weights of run {run}…</source>
        <translation>Lade die Daten, um die Gewichte von Lauf {run} zu zeigen…</translation>
    </message>
    <message>
        <source>The trained weights were restored, but their feature maps cannot be shown: {problem}</source>
        <translation>Die trainierten Gewichte wurden wiederhergestellt, aber ihre Merkmalskarten können nicht gezeigt werden: {problem}</translation>
    </message>
    <message>
        <source>, validation accuracy {acc}</source>
        <translation>, Validierungsgenauigkeit {acc}</translation>
    </message>
    <message>
        <source>Showing the trained weights of run {run} ({steps} steps{accuracy}), restored with the project.</source>
        <translation>Gezeigt werden die trainierten Gewichte von Lauf {run} ({steps} Schritte{accuracy}), mit dem Projekt wiederhergestellt.</translation>
    </message>
</context>
<context>
    <name>TrainingWorker</name>
    <message>
        <source>Loading dataset &apos;{name}&apos;…</source>
        <translation>Lade den Datensatz „{name}“…</translation>
    </message>
    <message>
        <source>loading the dataset</source>
        <translation>des Ladens des Datensatzes</translation>
    </message>
    <message>
        <source>Building the network…</source>
        <translation>Baue das Netz…</translation>
    </message>
    <message>
        <source>building the network</source>
        <translation>des Aufbaus des Netzes</translation>
    </message>
    <message>
        <source>Training on {device}…</source>
        <translation>Training auf {device}…</translation>
    </message>
    <message>
        <source>Stopped while {stage}; nothing was trained.</source>
        <translation>Gestoppt während {stage}; es wurde nichts trainiert.</translation>
    </message>
    <message>
        <source>Check the settings of the layers involved in the inspector (or lower the batch size or learning rate), then press Train again.</source>
        <translation>Prüfen Sie die Einstellungen der beteiligten Schichten im Inspektor (oder verringern Sie Batchgröße oder Lernrate) und drücken Sie dann erneut „Trainieren“.</translation>
    </message>
</context>
<context>
    <name>TransferView</name>
    <message>
        <source>val accuracy</source>
        <translation>Val.-Genauigkeit</translation>
    </message>
    <message>
        <source>val loss</source>
        <translation>Val.-Verlust</translation>
    </message>
    <message>
        <source>train loss</source>
        <translation>Trainingsverlust</translation>
    </message>
    <message>
        <source>epochs</source>
        <translation>Epochen</translation>
    </message>
    <message>
        <source>fine-tune</source>
        <translation>Feintuning</translation>
    </message>
    <message>
        <source>scratch</source>
        <translation>von null</translation>
    </message>
    <message>
        <source>Where the starting weights come from: the run kept with this project, or a .weights.safetensors file</source>
        <translation>Woher die Startgewichte kommen: aus dem mit diesem Projekt behaltenen Lauf oder aus einer .weights.safetensors-Datei</translation>
    </message>
    <message>
        <source>kept weights</source>
        <translation>behaltene Gewichte</translation>
    </message>
    <message>
        <source>weights file…</source>
        <translation>Gewichtsdatei…</translation>
    </message>
    <message>
        <source>The new task: both runs train on a subset of it (the output layer is resized to its classes)</source>
        <translation>Die neue Aufgabe: Beide Läufe trainieren auf einer Teilmenge davon (die Ausgabeschicht wird an ihre Klassen angepasst)</translation>
    </message>
    <message>
        <source>How many training images of the new dataset both runs see: transfer helps most when there are few</source>
        <translation>Wie viele Trainingsbilder des neuen Datensatzes beide Läufe sehen: Transferlernen hilft am meisten, wenn es wenige sind</translation>
    </message>
    <message>
        <source>Epochs of each run</source>
        <translation>Epochen je Lauf</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Fine-tune from the source weights, then train the same network from scratch, on the same subset</source>
        <translation>Von den Quellgewichten aus feinabstimmen, dann dasselbe Netz von null an trainieren, auf derselben Teilmenge</translation>
    </message>
    <message>
        <source>from</source>
        <translation>von</translation>
    </message>
    <message>
        <source>to</source>
        <translation>nach</translation>
    </message>
    <message>
        <source>subset</source>
        <translation>Teilmenge</translation>
    </message>
    <message>
        <source>validation accuracy</source>
        <translation>Validierungsgenauigkeit</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>Epoche</translation>
    </message>
    <message>
        <source>validation loss</source>
        <translation>Validierungsverlust</translation>
    </message>
    <message>
        <source>weight change per layer</source>
        <translation>Änderung je Schicht</translation>
    </message>
    <message>
        <source>Final numbers of both runs on the new dataset&apos;s validation set</source>
        <translation>Endwerte beider Läufe auf dem Validierungsset des neuen Datensatzes</translation>
    </message>
    <message>
        <source>{n} images</source>
        <translation>{n} Bilder</translation>
    </message>
    <message>
        <source>kept weights (none yet: train first)</source>
        <translation>behaltene Gewichte (noch keine: erst trainieren)</translation>
    </message>
    <message>
        <source>run {run} ({dataset})</source>
        <translation>Lauf {run} ({dataset})</translation>
    </message>
    <message>
        <source>Weights to start from</source>
        <translation>Startgewichte</translation>
    </message>
    <message>
        <source>Weights (*{suffix});;All files (*)</source>
        <translation>Gewichte (*{suffix});;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Choose a weights file first (from: weights file…).</source>
        <translation>Wählen Sie zuerst eine Gewichtsdatei (von: Gewichtsdatei…).</translation>
    </message>
    <message>
        <source>There are no kept weights yet: train the network on the source dataset first (e.g. shapes), or choose a weights file.</source>
        <translation>Es gibt noch keine behaltenen Gewichte: Trainieren Sie das Netz zuerst auf dem Quelldatensatz (z. B. shapes) oder wählen Sie eine Gewichtsdatei.</translation>
    </message>
    <message>
        <source>run {run} on {dataset}</source>
        <translation>Lauf {run} auf {dataset}</translation>
    </message>
    <message>
        <source>This view needs a project: open or build a network first.</source>
        <translation>Diese Ansicht braucht ein Projekt: Öffnen oder bauen Sie zuerst ein Netz.</translation>
    </message>
    <message>
        <source>No image dataset fits this network&apos;s input: give it an Input of 1x28x28 (shapes, glyphs, MNIST) or 3x32x32 (CIFAR-10).</source>
        <translation>Kein Bilddatensatz passt zur Eingabe dieses Netzes: Geben Sie ihm eine Input-Schicht mit 1x28x28 (shapes, glyphs, MNIST) oder 3x32x32 (CIFAR-10).</translation>
    </message>
    <message>
        <source>Fine-tuning from {source} and training from scratch on {n} {target} images</source>
        <translation>Feintuning von {source} und Training von null auf {n} {target}-Bildern</translation>
    </message>
    <message>
        <source>{layer} is frozen: its weights did not move</source>
        <translation>{layer} ist eingefroren: Seine Gewichte haben sich nicht bewegt</translation>
    </message>
    <message>
        <source>Loaded {n} of {total} weight tensors by name and shape.</source>
        <translation>{n} von {total} Gewichtstensoren nach Name und Form geladen.</translation>
    </message>
    <message>
        <source> Fresh random weights: {layers}</source>
        <translation> Neue Zufallsgewichte: {layers}</translation>
    </message>
    <message>
        <source> Head: {fixes}.</source>
        <translation> Ausgabekopf: {fixes}.</translation>
    </message>
    <message>
        <source> Frozen: {layers}.</source>
        <translation> Eingefroren: {layers}.</translation>
    </message>
    <message>
        <source> Note: {layers} is frozen but got no source weights, so it stays random: unfreeze it.</source>
        <translation> Hinweis: {layers} ist eingefroren, hat aber keine Quellgewichte bekommen und bleibt daher zufällig: Tauen Sie die Schicht auf.</translation>
    </message>
    <message>
        <source>Stopped before both runs finished.</source>
        <translation>Gestoppt, bevor beide Läufe fertig waren.</translation>
    </message>
    <message>
        <source>No accuracy to compare (regression task).</source>
        <translation>Keine Genauigkeit zum Vergleichen (Regressionsaufgabe).</translation>
    </message>
    <message>
        <source>On {n} images, fine-tuning reached {tuned} validation accuracy, {points} points better than from scratch ({scratch}).</source>
        <translation>Auf {n} Bildern erreichte das Feintuning {tuned} Validierungsgenauigkeit, {points} Punkte besser als von null ({scratch}).</translation>
    </message>
    <message>
        <source>On {n} images, fine-tuning reached {tuned} validation accuracy, {points} points worse than from scratch ({scratch}).</source>
        <translation>Auf {n} Bildern erreichte das Feintuning {tuned} Validierungsgenauigkeit, {points} Punkte schlechter als von null ({scratch}).</translation>
    </message>
</context>
<context>
    <name>TranslationView</name>
    <message>
        <source>English (held out)</source>
        <translation>Englisch (ungesehen)</translation>
    </message>
    <message>
        <source>model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>reference</source>
        <translation>Referenz</translation>
    </message>
    <message>
        <source>type English number words, e.g. three hundred forty two, and press Enter</source>
        <translation>englische Zahlwörter eintippen, z. B. three hundred forty two, und Enter drücken</translation>
    </message>
    <message>
        <source>A phrase of English number words (one to nine hundred ninety nine) for the network to translate</source>
        <translation>Eine Phrase aus englischen Zahlwörtern (one bis nine hundred ninety nine), die das Netz übersetzen soll</translation>
    </message>
    <message>
        <source>Translate</source>
        <translation>Übersetzen</translation>
    </message>
    <message>
        <source>Translate the typed phrase with the network</source>
        <translation>Die eingetippte Phrase mit dem Netz übersetzen</translation>
    </message>
    <message>
        <source>mistakes only</source>
        <translation>nur Fehler</translation>
    </message>
    <message>
        <source>List only the held-out phrases the network gets wrong</source>
        <translation>Nur die zurückgehaltenen Phrasen zeigen, die das Netz falsch übersetzt</translation>
    </message>
    <message>
        <source>your phrase</source>
        <translation>Ihre Phrase</translation>
    </message>
    <message>
        <source>Phrases held out from training: the network&apos;s German next to the reference (✓ right, ✗ wrong)</source>
        <translation>Vom Training zurückgehaltene Phrasen: das Deutsch des Netzes neben der Referenz (✓ richtig, ✗ falsch)</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>Epoche</translation>
    </message>
    <message>
        <source>held-out accuracy</source>
        <translation>Genauigkeit (zurückgehalten)</translation>
    </message>
    <message>
        <source>token accuracy</source>
        <translation>Token-Genauigkeit</translation>
    </message>
    <message>
        <source>exact match</source>
        <translation>exakte Treffer</translation>
    </message>
    <message>
        <source>Run {run} is training: the translations follow it.</source>
        <translation>Lauf {run} trainiert: Die Übersetzungen folgen ihm.</translation>
    </message>
    <message>
        <source>training step {step} (epoch {epoch})</source>
        <translation>Trainingsschritt {step} (Epoche {epoch})</translation>
    </message>
    <message>
        <source>This view needs a project.</source>
        <translation>Diese Ansicht braucht ein Projekt.</translation>
    </message>
    <message>
        <source>This view needs the translation dataset: open the translation preset (File ▸ New from Preset) or choose &apos;translation&apos; in the Training tab.</source>
        <translation>Diese Ansicht braucht den Datensatz translation: Öffnen Sie die Vorlage translation (Datei ▸ Neu aus Vorlage) oder wählen Sie &apos;translation&apos; im Reiter Training.</translation>
    </message>
    <message>
        <source>This view needs a network whose Output gets {steps}x{words} word scores (one per German word and step), like the translation preset; run Check to see what is missing.</source>
        <translation>Diese Ansicht braucht ein Netz, dessen Output {steps}x{words} Wortwerte erhält (einen je deutschem Wort und Schritt), wie in der Vorlage translation; führen Sie die Prüfung aus, um zu sehen, was fehlt.</translation>
    </message>
    <message>
        <source>Cannot translate “{phrase}”: {problem}.</source>
        <translation>„{phrase}“ lässt sich nicht übersetzen: {problem}.</translation>
    </message>
    <message>
        <source>“{phrase}” is translated at the next snapshot of the run…</source>
        <translation>„{phrase}“ wird beim nächsten Schnappschuss des Laufs übersetzt …</translation>
    </message>
    <message>
        <source>There are no trained weights yet: train the network (Train, F5) and try again.</source>
        <translation>Es gibt noch keine trainierten Gewichte: Trainieren Sie das Netz (Trainieren, F5) und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The network changed since the last run: train it again to translate with it.</source>
        <translation>Das Netz hat sich seit dem letzten Lauf geändert: Trainieren Sie es erneut, um damit zu übersetzen.</translation>
    </message>
    <message>
        <source>Translating “{phrase}”…</source>
        <translation>Übersetze „{phrase}“ …</translation>
    </message>
    <message>
        <source>the trained weights</source>
        <translation>den trainierten Gewichten</translation>
    </message>
    <message>
        <source>{n} held-out phrases translated with {source}.</source>
        <translation>{n} zurückgehaltene Phrasen übersetzt mit {source}.</translation>
    </message>
    <message>
        <source>held out: never seen in training</source>
        <translation>zurückgehalten: im Training nie gesehen</translation>
    </message>
    <message>
        <source>a training phrase</source>
        <translation>eine Trainingsphrase</translation>
    </message>
    <message>
        <source>“{phrase}” → model: “{answer}” · reference: “{reference}” {mark} · {where}</source>
        <translation>„{phrase}“ → Modell: „{answer}“ · Referenz: „{reference}“ {mark} · {where}</translation>
    </message>
    <message>
        <source>Token accuracy: –</source>
        <translation>Token-Genauigkeit: –</translation>
    </message>
    <message>
        <source>Exact match: –</source>
        <translation>Exakte Treffer: –</translation>
    </message>
    <message>
        <source>Train the network (Train, F5) to see it translate.</source>
        <translation>Trainieren Sie das Netz (Trainieren, F5), um es übersetzen zu sehen.</translation>
    </message>
    <message>
        <source>Token accuracy: {acc}</source>
        <translation>Token-Genauigkeit: {acc}</translation>
    </message>
    <message>
        <source>Exact match: {acc}</source>
        <translation>Exakte Treffer: {acc}</translation>
    </message>
    <message>
        <source>{right} of {n} held-out phrases right; measured with {source}.</source>
        <translation>{right} von {n} zurückgehaltenen Phrasen richtig; gemessen mit {source}.</translation>
    </message>
</context>
<context>
    <name>_LayerColumn</name>
    <message>
        <source>Which layer to show in this column</source>
        <translation>Welche Schicht diese Spalte zeigt</translation>
    </message>
    <message>
        <source>Each tile is one channel of this layer; click one to enlarge it</source>
        <translation>Jede Kachel ist ein Kanal dieser Schicht; klicken Sie auf eine, um sie zu vergrößern</translation>
    </message>
    <message>
        <source>{shape}, {shown} of {channels} channels</source>
        <translation>{shape}, {shown} von {channels} Kanälen</translation>
    </message>
    <message>
        <source>{shape} neurons</source>
        <translation>{shape} Neuronen</translation>
    </message>
    <message>
        <source>{shape} (time × units)</source>
        <translation>{shape} (Zeit × Einheiten)</translation>
    </message>
    <message>
        <source>Brightest = {scale}: each layer is scaled by its largest value, so colours compare channels within the layer.</source>
        <translation>Hellster Wert = {scale}: Jede Schicht wird durch ihren größten Wert geteilt, die Farben vergleichen also Kanäle innerhalb der Schicht.</translation>
    </message>
</context>
</TS>
