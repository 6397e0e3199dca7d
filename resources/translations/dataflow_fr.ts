<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../dataflow_desktop/ui/about_dialog.py" line="+49"/>
        <source>About DataFlow Desktop</source>
        <translation>À propos de DataFlow Desktop</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PyMuPDF {pymupdf}, Qt {qt} (PySide6 {pyside}), Python {python} on {os}</source>
        <translation>PyMuPDF {pymupdf}, Qt {qt} (PySide6 {pyside}), Python {python} sous {os}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Version {version}</source>
        <translation>Version {version}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Turns PDF documents into structured data — text, tables, images and reports — on your own computer.</source>
        <translation>Transforme des documents PDF en données structurées — texte, tableaux, images et rapports — sur votre propre ordinateur.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Licence: GNU AGPL 3.0 or later.</source>
        <translation>Licence&#xa0;: GNU AGPL 3.0 ou ultérieure.</translation>
    </message>
</context>
<context>
    <name>AnalysisWidget</name>
    <message>
        <location filename="../../dataflow_desktop/ui/viewer/panels.py" line="+140"/>
        <source>Field</source>
        <translation>Champ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+7"/>
        <source>Analysis</source>
        <translation>Analyse</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Document type</source>
        <translation>Type de document</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keywords</source>
        <translation>Mots-clés</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Summary</source>
        <translation>Résumé</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Fields</source>
        <translation>Champs</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <location filename="../../dataflow_desktop/ui/crash.py" line="+48"/>
        <location line="+1"/>
        <source>Unexpected error</source>
        <translation>Erreur inattendue</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>(no log file)</source>
        <translation>(pas de fichier journal)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>DataFlow Desktop hit an unexpected error. Your jobs are safe. Please report this problem with the details below.

Log file: {}</source>
        <translation>DataFlow Desktop a rencontré une erreur inattendue. Vos tâches ne sont pas perdues. Merci de signaler ce problème avec les détails ci-dessous.

Fichier journal&#xa0;: {}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Error details</source>
        <translation>Détails de l’erreur</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Copy details</source>
        <translation>Copier les détails</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>DataFlow Desktop</source>
        <translation>DataFlow Desktop</translation>
    </message>
</context>
<context>
    <name>JobController</name>
    <message>
        <location filename="../../dataflow_desktop/ui/controller.py" line="+167"/>
        <source>Already processed by the team</source>
        <translation>Déjà traité par l’équipe</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>%n document(s) were already processed by a teammate with the same options:</source>
        <translation>
            <numerusform>%n document a déjà été traité par un collègue avec les mêmes options&#xa0;:</numerusform>
            <numerusform>%n documents ont déjà été traités par un collègue avec les mêmes options&#xa0;:</numerusform>
        </translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Use the team&apos;s result (downloaded from the bucket) or process again here?</source>
        <translation>Utiliser le résultat de l’équipe (téléchargé depuis le bucket) ou traiter à nouveau ici&#x202f;?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use the team&apos;s result</source>
        <translation>Utiliser le résultat de l’équipe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Process again</source>
        <translation>Traiter à nouveau</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Using the team&apos;s result for {name}</source>
        <translation>Résultat de l’équipe utilisé pour {name}</translation>
    </message>
    <message numerus="yes">
        <location line="+12"/>
        <source>%n document(s) added</source>
        <translation>
            <numerusform>%n document ajouté</numerusform>
            <numerusform>%n documents ajoutés</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+47"/>
        <source>%n bundle(s) exported</source>
        <translation>
            <numerusform>%n archive exportée</numerusform>
            <numerusform>%n archives exportées</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>JobDialogs</name>
    <message>
        <location filename="../../dataflow_desktop/ui/job_dialogs.py" line="+19"/>
        <source>Add PDF files</source>
        <translation>Ajouter des fichiers PDF</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PDF documents (*.pdf);;All files (*)</source>
        <translation>Documents PDF (*.pdf);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Add every PDF of a folder</source>
        <translation>Ajouter tous les PDF d’un dossier</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Quit DataFlow Desktop</source>
        <translation>Quitter DataFlow Desktop</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n job(s) are still running. Quit and cancel them?</source>
        <translation>
            <numerusform>%n tâche est encore en cours. Quitter et l’annuler&#x202f;?</numerusform>
            <numerusform>%n tâches sont encore en cours. Quitter et les annuler&#x202f;?</numerusform>
        </translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Remove jobs</source>
        <translation>Supprimer des tâches</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Remove %n job(s) and delete their result files? This cannot be undone.</source>
        <translation>
            <numerusform>Supprimer %n tâche et ses fichiers de résultats&#x202f;? Cette action est irréversible.</numerusform>
            <numerusform>Supprimer %n tâches et leurs fichiers de résultats&#x202f;? Cette action est irréversible.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Export the results bundle</source>
        <translation>Exporter l’archive des résultats</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ZIP archives (*.zip)</source>
        <translation>Archives ZIP (*.zip)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Export the bundles to</source>
        <translation>Exporter les archives dans</translation>
    </message>
</context>
<context>
    <name>JobLabels</name>
    <message>
        <location filename="../../dataflow_desktop/ui/labels.py" line="+19"/>
        <source>Queued</source>
        <translation>En attente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Running</source>
        <translation>En cours</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+13"/>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>Checking the document</source>
        <translation>Vérification du document</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Extracting text</source>
        <translation>Extraction du texte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rendering pages</source>
        <translation>Rendu des pages</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recognising text</source>
        <translation>Reconnaissance du texte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Analysing</source>
        <translation>Analyse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Writing the reports</source>
        <translation>Écriture des rapports</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Uploading</source>
        <translation>Envoi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cleaning up</source>
        <translation>Nettoyage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Finished</source>
        <translation>Fini</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stopped by an error</source>
        <translation>Arrêté par une erreur</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Local only</source>
        <translation>Local uniquement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Waiting to upload</source>
        <translation>En attente d’envoi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Uploading {percent}</source>
        <translation>Envoi {percent}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Synced</source>
        <translation>Synchronisé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Waiting for network</source>
        <translation>En attente du réseau</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sync error</source>
        <translation>Erreur de synchronisation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sync conflict</source>
        <translation>Conflit de synchronisation</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The file could not be found. It may have been moved or deleted.</source>
        <translation>Le fichier est introuvable. Il a peut-être été déplacé ou supprimé.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The file is empty (0 bytes). Check that it was copied or downloaded completely.</source>
        <translation>Le fichier est vide (0 octet). Vérifiez qu’il a été copié ou téléchargé entièrement.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This file is not a PDF document (its content does not start like a PDF). Export or save it as PDF first.</source>
        <translation>Ce fichier n’est pas un document PDF (son contenu ne commence pas comme un PDF). Exportez-le ou enregistrez-le d’abord en PDF.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The PDF is damaged and could not be repaired. Try re-saving it from the program that made it.</source>
        <translation>Le PDF est endommagé et n’a pas pu être réparé. Essayez de l’enregistrer à nouveau depuis le programme qui l’a créé.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The file is larger than the configured size limit. Raise the limit in the settings or split the document.</source>
        <translation>Le fichier dépasse la taille maximale configurée. Augmentez la limite dans les paramètres ou scindez le document.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The document has more pages than the configured page limit. Raise the limit in the settings or split the document.</source>
        <translation>Le document compte plus de pages que la limite configurée. Augmentez la limite dans les paramètres ou scindez le document.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The PDF contains no readable pages.</source>
        <translation>Le PDF ne contient aucune page lisible.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A page of the document could not be processed.</source>
        <translation>Une page du document n’a pas pu être traitée.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Processing a page took longer than the time limit and was stopped.</source>
        <translation>Le traitement d’une page a dépassé le temps limite et a été arrêté.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The document needed more memory than a processing engine is allowed, so it was stopped; other documents are not affected. The file may be malformed.</source>
        <translation>Le document demandait plus de mémoire qu’un moteur de traitement n’en a le droit&#xa0;; il a été arrêté, les autres documents ne sont pas touchés. Le fichier est peut-être mal formé.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Text recognition (OCR) language data is missing.</source>
        <translation>Les données de langue de la reconnaissance de texte (OCR) sont absentes.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The job is not in a state that allows this (it is running, or has no results yet).</source>
        <translation>L’état de la tâche ne le permet pas (elle est en cours ou n’a pas encore de résultats).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No job has this id. It may have been removed.</source>
        <translation>Aucune tâche ne porte cet identifiant. Elle a peut-être été supprimée.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The PDF is protected by a password. Enter the password to process it.</source>
        <translation>Le PDF est protégé par un mot de passe. Saisissez le mot de passe pour le traiter.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The password is not correct for this PDF. Enter the right password to process it.</source>
        <translation>Le mot de passe est incorrect pour ce PDF. Saisissez le bon mot de passe pour le traiter.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The PDF made the processing engine crash. The file is probably malformed; other documents are not affected.</source>
        <translation>Le PDF a fait planter le moteur de traitement. Le fichier est probablement mal formé&#x202f;; les autres documents ne sont pas touchés.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The job was interrupted (the application stopped while it ran). Retry it to process the document again.</source>
        <translation>La tâche a été interrompue (l’application s’est arrêtée pendant son exécution). Relancez-la pour traiter à nouveau le document.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The job was cancelled.</source>
        <translation>La tâche a été annulée.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The results could not be saved. Check free disk space and access rights to the data folder.</source>
        <translation>Les résultats n’ont pas pu être enregistrés. Vérifiez l’espace disque libre et les droits d’accès au dossier de données.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>An unexpected error occurred. See the log file for details.</source>
        <translation>Une erreur inattendue s’est produite. Consultez le fichier journal pour plus de détails.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>{step} ({done}/{total})</source>
        <translation>{step} ({done}/{total})</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>{value}%</source>
        <translation>{value}&#x202f;%</translation>
    </message>
</context>
<context>
    <name>JobListActions</name>
    <message>
        <location filename="../../dataflow_desktop/ui/job_actions.py" line="+97"/>
        <source>This job has no local folder.</source>
        <translation>Cette tâche n’a pas de dossier local.</translation>
    </message>
</context>
<context>
    <name>JobTableModel</name>
    <message>
        <location filename="../../dataflow_desktop/ui/jobs_model.py" line="+182"/>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Pages</source>
        <translation>Pages</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Step</source>
        <translation>Étape</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Progress</source>
        <translation>Progression</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Time</source>
        <translation>Durée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sync</source>
        <translation>Synchro</translation>
    </message>
</context>
<context>
    <name>JobsPanelWidget</name>
    <message>
        <location filename="../../dataflow_desktop/ui/jobs_panel.py" line="+109"/>
        <source>Filter jobs by file name (Ctrl+L)</source>
        <translation>Filtrer les tâches par nom de fichier (Ctrl+L)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Filter jobs by file name</source>
        <translation>Filtrer les tâches par nom de fichier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show jobs with status</source>
        <translation>Afficher les tâches dont l’état est</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Jobs</source>
        <translation>Tâches</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All jobs</source>
        <translation>Toutes les tâches</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Active</source>
        <translation>Actives</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Done</source>
        <translation>Terminées</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Failed</source>
        <translation>En échec</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancelled</source>
        <translation>Annulées</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Drop PDF files or folders here

or use File → Open files… (Ctrl+O)</source>
        <translation>Déposez ici des fichiers PDF ou des dossiers

ou utilisez Fichier → Ouvrir des fichiers… (Ctrl+O)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No jobs yet: drop PDF files or folders here</source>
        <translation>Aucune tâche pour l’instant&#xa0;: déposez ici des fichiers PDF ou des dossiers</translation>
    </message>
</context>
<context>
    <name>LlmPage</name>
    <message>
        <location filename="../../dataflow_desktop/ui/settings_llm.py" line="+155"/>
        <source>AI analysis (optional)</source>
        <translation>Analyse par IA (facultative)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Improve the analysis with an AI provider</source>
        <translation>Améliorer l’analyse avec un fournisseur d’IA</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>When this is on, the text extracted from each PDF is sent to the server below. When it is off, nothing leaves this computer.</source>
        <translation>Quand cette option est activée, le texte extrait de chaque PDF est envoyé au serveur ci-dessous. Quand elle est désactivée, rien ne quitte cet ordinateur.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Base URL:</source>
        <translation>URL de base&#xa0;:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Base URL</source>
        <translation>URL de base</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model:</source>
        <translation>Modèle&#xa0;:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>API key:</source>
        <translation>Clé d’API&#xa0;:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>API key</source>
        <translation>Clé d’API</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>OpenAI-compatible, e.g. http://127.0.0.1:11434/v1</source>
        <translation>Compatible OpenAI, par ex. http://127.0.0.1:11434/v1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>e.g. llama3.1 or gpt-4o-mini</source>
        <translation>par ex. llama3.1 ou gpt-4o-mini</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Test</source>
        <translation>Tester</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Send one tiny request (no document text) to the server.</source>
        <translation>Envoyer une toute petite requête (sans texte de document) au serveur.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Stored in the system keyring; type a new one to replace it</source>
        <translation>Enregistrée dans le trousseau du système&#xa0;; saisissez-en une nouvelle pour la remplacer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kept in the system keyring; empty for local servers</source>
        <translation>Conservée dans le trousseau du système&#xa0;; vide pour les serveurs locaux</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Type the provider&apos;s base URL, starting with http:// or https://.</source>
        <translation>Saisissez l’URL de base du fournisseur, commençant par http:// ou https://.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Type the name of the model the provider serves.</source>
        <translation>Saisissez le nom du modèle que sert le fournisseur.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Asking the provider…</source>
        <translation>Interrogation du fournisseur…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The provider answered correctly.</source>
        <translation>Le fournisseur a répondu correctement.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The AI provider refused the API key (check it in the settings).</source>
        <translation>Le fournisseur d’IA a refusé la clé d’API (vérifiez-la dans les paramètres).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The AI provider does not know this address or model (check the base URL and the model name).</source>
        <translation>Le fournisseur d’IA ne connaît pas cette adresse ou ce modèle (vérifiez l’URL de base et le nom du modèle).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The AI provider is rate limiting requests; try again later.</source>
        <translation>Le fournisseur d’IA limite le nombre de requêtes&#xa0;; réessayez plus tard.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The AI provider had an internal error (HTTP {status}).</source>
        <translation>Le fournisseur d’IA a rencontré une erreur interne (HTTP {status}).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The AI provider rejected the request (HTTP {status}).</source>
        <translation>Le fournisseur d’IA a rejeté la requête (HTTP {status}).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The AI provider did not answer in time.</source>
        <translation>Le fournisseur d’IA n’a pas répondu à temps.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The AI provider could not be reached ({reason}).</source>
        <translation>Le fournisseur d’IA est injoignable ({reason}).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The AI provider&apos;s answer was not the expected JSON.</source>
        <translation>La réponse du fournisseur d’IA n’était pas le JSON attendu.</translation>
    </message>
</context>
<context>
    <name>MainWindowWidget</name>
    <message>
        <location filename="../../dataflow_desktop/ui/main_window.py" line="+176"/>
        <source>Find in documents</source>
        <translation>Rechercher dans les documents</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>My jobs</source>
        <translation>Mes tâches</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Team</source>
        <translation>Équipe</translation>
    </message>
    <message numerus="yes">
        <location line="+22"/>
        <source>%n succeeded</source>
        <translation>
            <numerusform>%n réussie</numerusform>
            <numerusform>%n réussies</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+0"/>
        <source>%n failed</source>
        <translation>
            <numerusform>%n en échec</numerusform>
            <numerusform>%n en échec</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n cancelled</source>
        <translation>
            <numerusform>%n annulée</numerusform>
            <numerusform>%n annulées</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Batch finished</source>
        <translation>Lot terminé</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>The clipboard holds no file or folder path.</source>
        <translation>Le presse-papiers ne contient aucun chemin de fichier ou de dossier.</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Some changes apply at the next start.</source>
        <translation>Certaines modifications prendront effet au prochain démarrage.</translation>
    </message>
</context>
<context>
    <name>MetadataWidget</name>
    <message>
        <location filename="../../dataflow_desktop/ui/viewer/panels.py" line="-59"/>
        <source>Field</source>
        <translation>Champ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Metadata and form fields</source>
        <translation>Métadonnées et champs de formulaire</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Document</source>
        <translation>Document</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pages</source>
        <translation>Pages</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PDF version</source>
        <translation>Version PDF</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Encrypted</source>
        <translation>Chiffré</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repaired</source>
        <translation>Réparé</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Title</source>
        <translation>Titre</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Author</source>
        <translation>Auteur</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Subject</source>
        <translation>Sujet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keywords</source>
        <translation>Mots-clés</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Creator</source>
        <translation>Créateur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Producer</source>
        <translation>Producteur</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Created</source>
        <translation>Créé le</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Modified</source>
        <translation>Modifié le</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Metadata</source>
        <translation>Métadonnées</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Form fields ({n})</source>
        <translation>Champs de formulaire ({n})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{value} ({type}, page {page})</source>
        <translation>{value} ({type}, page {page})</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Outline ({n})</source>
        <translation>Signets ({n})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>page {page}</source>
        <translation>page {page}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Attached files ({n})</source>
        <translation>Fichiers joints ({n})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{size} bytes</source>
        <translation>{size} octets</translation>
    </message>
</context>
<context>
    <name>NoticePanelWidget</name>
    <message numerus="yes">
        <location filename="../../dataflow_desktop/ui/notices.py" line="+63"/>
        <source>%n file(s) not added</source>
        <translation>
            <numerusform>%n fichier non ajouté</numerusform>
            <numerusform>%n fichiers non ajoutés</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dismiss</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dismiss the list of files not added</source>
        <translation>Fermer la liste des fichiers non ajoutés</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Files not added, with the reason</source>
        <translation>Fichiers non ajoutés, avec la raison</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>already processed; the existing job is selected</source>
        <translation>déjà traité&#x202f;; la tâche existante est sélectionnée</translation>
    </message>
</context>
<context>
    <name>PageViewWidget</name>
    <message>
        <location filename="../../dataflow_desktop/ui/viewer/page_view.py" line="+105"/>
        <source>Page with extracted text blocks</source>
        <translation>Page avec les blocs de texte extraits</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <location filename="../../dataflow_desktop/ui/password_dialog.py" line="+64"/>
        <source>Password required</source>
        <translation>Mot de passe requis</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>“{name}” is protected by a password. Enter it to process the document.</source>
        <translation>«&#xa0;{name}&#xa0;» est protégé par un mot de passe. Saisissez-le pour traiter le document.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>That password is not correct. Try again.</source>
        <translation>Ce mot de passe est incorrect. Réessayez.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password of {name}</source>
        <translation>Mot de passe de {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remember this password in the system keyring</source>
        <translation>Mémoriser ce mot de passe dans le trousseau du système</translation>
    </message>
</context>
<context>
    <name>RemoteProfileDialog</name>
    <message>
        <location filename="../../dataflow_desktop/ui/remote_profiles.py" line="+206"/>
        <source>Edit remote</source>
        <translation>Modifier le stockage distant</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Add a remote</source>
        <translation>Ajouter un stockage distant</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Name:</source>
        <translation>Nom&#xa0;:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Remote name</source>
        <translation>Nom du stockage distant</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind:</source>
        <translation>Type&#xa0;:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Storage kind</source>
        <translation>Type de stockage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Endpoint or project URL</source>
        <translation>URL du point d’accès ou du projet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bucket:</source>
        <translation>Bucket&#xa0;:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Bucket</source>
        <translation>Bucket</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Region:</source>
        <translation>Région&#xa0;:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Region</source>
        <translation>Région</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Access key ID:</source>
        <translation>ID de clé d’accès&#xa0;:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Access key ID</source>
        <translation>ID de clé d’accès</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Secret</source>
        <translation>Secret</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>S3 (MinIO, AWS S3, SeaweedFS…)</source>
        <translation>S3 (MinIO, AWS S3, SeaweedFS…)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supabase Storage</source>
        <translation>Supabase Storage</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>e.g. eu-west-3 (optional)</source>
        <translation>par ex. eu-west-3 (facultatif)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unchanged; type a new one to replace it</source>
        <translation>Inchangé&#xa0;; saisissez-en un nouveau pour le remplacer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stored only in the system keyring</source>
        <translation>Enregistré uniquement dans le trousseau du système</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Buckets per environment</source>
        <translation>Buckets par environnement</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Each environment may use a bucket of its own; leave empty to use the bucket above.</source>
        <translation>Chaque environnement peut avoir son propre bucket&#xa0;; laissez vide pour utiliser le bucket ci-dessus.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Bucket of the {env} environment</source>
        <translation>Bucket de l’environnement {env}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Endpoint URL:</source>
        <translation>URL du point d’accès&#xa0;:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Project URL:</source>
        <translation>URL du projet&#xa0;:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Secret access key:</source>
        <translation>Clé d’accès secrète&#xa0;:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>API key:</source>
        <translation>Clé d’API&#xa0;:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Empty for AWS S3, e.g. https://minio.example.org:9000</source>
        <translation>Vide pour AWS S3, par ex. https://minio.example.org:9000</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>e.g. https://abcd.supabase.co</source>
        <translation>par ex. https://abcd.supabase.co</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>The name must start with a letter or digit and use only letters, digits, spaces, &apos;.&apos;, &apos;_&apos; or &apos;-&apos; (at most 64).</source>
        <translation>Le nom doit commencer par une lettre ou un chiffre et ne contenir que des lettres, chiffres, espaces, «&#xa0;.&#xa0;», «&#xa0;_&#xa0;» ou «&#xa0;-&#xa0;» (64 au plus).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A remote is already called “{name}”.</source>
        <translation>Un stockage distant s’appelle déjà «&#xa0;{name}&#xa0;».</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The URL must start with http:// or https://.</source>
        <translation>L’URL doit commencer par http:// ou https://.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A Supabase remote needs the project URL.</source>
        <translation>Un stockage Supabase a besoin de l’URL du projet.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A bucket name is required.</source>
        <translation>Le nom du bucket est obligatoire.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>An S3 remote needs an access key ID.</source>
        <translation>Un stockage S3 a besoin d’un ID de clé d’accès.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Type the secret: it is stored in the system keyring.</source>
        <translation>Saisissez le secret&#xa0;: il est enregistré dans le trousseau du système.</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Saving…</source>
        <translation>Enregistrement…</translation>
    </message>
</context>
<context>
    <name>RemoteProfileList</name>
    <message>
        <location filename="../../dataflow_desktop/ui/remote_profile_list.py" line="+107"/>
        <location line="+4"/>
        <source>Remote profiles</source>
        <translation>Stockages distants</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Where</source>
        <translation>Emplacement</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Secret</source>
        <translation>Secret</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add…</source>
        <translation>Ajouter…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit…</source>
        <translation>Modifier…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test connection</source>
        <translation>Tester la connexion</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>List, write, read back and delete a small probe object in the bucket.</source>
        <translation>Lister, écrire, relire puis supprimer un petit objet de test dans le bucket.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Profiles are saved as soon as you confirm them. Their secrets are kept in the system keyring only.</source>
        <translation>Les profils sont enregistrés dès que vous les validez. Leurs secrets sont conservés uniquement dans le trousseau du système.</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>in the keyring</source>
        <translation>dans le trousseau</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>from the environment</source>
        <translation>depuis l’environnement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>missing</source>
        <translation>manquant</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>keyring unavailable</source>
        <translation>trousseau indisponible</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Saved “{name}”; test its connection to check its rights.</source>
        <translation>«&#xa0;{name}&#xa0;» enregistré&#xa0;; testez sa connexion pour vérifier ses droits.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Remove remote</source>
        <translation>Supprimer le stockage distant</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove the remote “{name}” and its secret from the system keyring? Objects in the bucket are not touched.</source>
        <translation>Supprimer le stockage distant «&#xa0;{name}&#xa0;» et son secret du trousseau du système&#xa0;? Les objets du bucket ne sont pas touchés.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Removed “{name}”.</source>
        <translation>«&#xa0;{name}&#xa0;» supprimé.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Testing “{name}” ({env})…</source>
        <translation>Test de «&#xa0;{name}&#xa0;» ({env})…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Connection</source>
        <translation>Connexion</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>List</source>
        <translation>Liste</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write</source>
        <translation>Écriture</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Read</source>
        <translation>Lecture</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete</source>
        <translation>Suppression</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>“{name}” works: every right sync needs is granted.</source>
        <translation>«&#xa0;{name}&#xa0;» fonctionne&#xa0;: tous les droits nécessaires à la synchronisation sont accordés.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>“{name}” cannot be used for sync; missing: {missing}.</source>
        <translation>«&#xa0;{name}&#xa0;» ne peut pas servir à la synchronisation&#xa0;; manque&#xa0;: {missing}.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the bucket answers and the keys are accepted</source>
        <translation>le bucket répond et les clés sont acceptées</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>objects can be listed</source>
        <translation>les objets peuvent être listés</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a probe object was written</source>
        <translation>un objet de test a été écrit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it was read back intact</source>
        <translation>il a été relu intact</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it was deleted</source>
        <translation>il a été supprimé</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not checked</source>
        <translation>non vérifié</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{mark} {right}: {detail}</source>
        <translation>{mark} {right}&#xa0;: {detail}</translation>
    </message>
</context>
<context>
    <name>SearchWidget</name>
    <message>
        <location filename="../../dataflow_desktop/ui/search_widget.py" line="+72"/>
        <source>Search in every document…</source>
        <translation>Rechercher dans tous les documents…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search text in documents</source>
        <translation>Rechercher du texte dans les documents</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search results</source>
        <translation>Résultats de la recherche</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Type words to find them in processed documents.</source>
        <translation>Tapez des mots pour les trouver dans les documents traités.</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n page(s) found</source>
        <translation>
            <numerusform>%n page trouvée</numerusform>
            <numerusform>%n pages trouvées</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>page {page}</source>
        <translation>page {page}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../dataflow_desktop/ui/settings_dialog.py" line="+158"/>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>General</source>
        <translation>Général</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Team sync</source>
        <translation>Synchronisation d’équipe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AI analysis</source>
        <translation>Analyse par IA</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Data</source>
        <translation>Données</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Processing</source>
        <translation>Traitement</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+39"/>
        <source>Watched folder</source>
        <translation>Dossier surveillé</translation>
    </message>
    <message>
        <location line="-38"/>
        <source>Appearance</source>
        <translation>Apparence</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Data folder:</source>
        <translation>Dossier de données&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+34"/>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <location line="-33"/>
        <source>Choose the data folder</source>
        <translation>Choisir le dossier de données</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Data folder</source>
        <translation>Dossier de données</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Set by the DATAFLOW_HOME environment variable; it cannot be changed here.</source>
        <translation>Défini par la variable d’environnement DATAFLOW_HOME&#x202f;; il ne peut pas être modifié ici.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Jobs, results and logs are kept in this folder.</source>
        <translation>Les tâches, les résultats et les journaux sont conservés dans ce dossier.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Worker processes:</source>
        <translation>Processus de traitement&#xa0;:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Worker processes</source>
        <translation>Processus de traitement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Jobs at once:</source>
        <translation>Tâches simultanées&#xa0;:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Jobs at once</source>
        <translation>Tâches simultanées</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Page image resolution:</source>
        <translation>Résolution des images de page&#xa0;:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Page image resolution</source>
        <translation>Résolution des images de page</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Text recognition (OCR):</source>
        <translation>Reconnaissance de texte (OCR)&#xa0;:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Text recognition mode</source>
        <translation>Mode de reconnaissance de texte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OCR languages:</source>
        <translation>Langues de l’OCR&#xa0;:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>OCR languages</source>
        <translation>Langues de l’OCR</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Theme:</source>
        <translation>Thème&#xa0;:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Theme</source>
        <translation>Thème</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Interface language:</source>
        <translation>Langue de l’interface&#xa0;:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Interface language</source>
        <translation>Langue de l’interface</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> dpi</source>
        <translation>&#xa0;dpi</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tesseract language codes joined by +, for example eng+fra.</source>
        <translation>Codes de langue Tesseract reliés par +, par exemple fra+eng.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Automatic (pages without text)</source>
        <translation>Automatique (pages sans texte)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Always</source>
        <translation>Toujours</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Never</source>
        <translation>Jamais</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>System</source>
        <translation>Système</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Light</source>
        <translation>Clair</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Dark</source>
        <translation>Sombre</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>System language</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Process new PDFs that appear in this folder</source>
        <translation>Traiter les nouveaux PDF qui apparaissent dans ce dossier</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose the watched folder</source>
        <translation>Choisir le dossier surveillé</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Theme, language, resolution, OCR and the watched folder apply at once; the data folder and the number of worker processes apply at the next start.</source>
        <translation>Le thème, la langue, la résolution, l’OCR et le dossier surveillé s’appliquent immédiatement&#x202f;; le dossier de données et le nombre de processus, au prochain démarrage.</translation>
    </message>
</context>
<context>
    <name>TablesWidget</name>
    <message>
        <location filename="../../dataflow_desktop/ui/viewer/tables.py" line="+151"/>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the selected cells (or the whole table)</source>
        <translation>Copier les cellules sélectionnées (ou tout le tableau)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export CSV…</source>
        <translation>Exporter en CSV…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export XLSX…</source>
        <translation>Exporter en XLSX…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Table</source>
        <translation>Tableau</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Table cells</source>
        <translation>Cellules du tableau</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No table was found in this document.</source>
        <translation>Aucun tableau n’a été trouvé dans ce document.</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Page {page}, table {n} ({rows} × {cols})</source>
        <translation>Page {page}, tableau {n} ({rows} × {cols})</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Export the table as CSV</source>
        <translation>Exporter le tableau en CSV</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export the table as XLSX</source>
        <translation>Exporter le tableau en XLSX</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Classeurs Excel (*.xlsx)</translation>
    </message>
</context>
<context>
    <name>TeamJobActions</name>
    <message>
        <location filename="../../dataflow_desktop/ui/team_actions.py" line="+67"/>
        <source>Uploading to the team&apos;s bucket…</source>
        <translation>Envoi vers le bucket de l’équipe…</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>%n job(s) synced</source>
        <translation>
            <numerusform>%n tâche synchronisée</numerusform>
            <numerusform>%n tâches synchronisées</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n job(s) not synced yet: see the Sync column</source>
        <translation>
            <numerusform>%n tâche pas encore synchronisée&#xa0;: voir la colonne Synchro</numerusform>
            <numerusform>%n tâches pas encore synchronisées&#xa0;: voir la colonne Synchro</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Downloading the team&apos;s results…</source>
        <translation>Téléchargement des résultats de l’équipe…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Downloaded {name}</source>
        <translation>{name} téléchargé</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Showing a team job (read-only)</source>
        <translation>Tâche de l’équipe affichée (lecture seule)</translation>
    </message>
</context>
<context>
    <name>TeamPanelWidget</name>
    <message>
        <location filename="../../dataflow_desktop/ui/team_panel.py" line="+204"/>
        <source>Open</source>
        <translation>Ouvrir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the job&apos;s results (downloads them first)</source>
        <translation>Afficher les résultats de la tâche (après les avoir téléchargés)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Download</source>
        <translation>Télécharger</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the job&apos;s results to this computer</source>
        <translation>Copier les résultats de la tâche sur cet ordinateur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Team jobs</source>
        <translation>Tâches de l’équipe</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Team sync is off, so teammates&apos; jobs cannot be shown.

To turn it on, add the team&apos;s bucket as a remote profile in File → Settings… (or run &apos;dataflow remote add&apos;), choose it as the sync remote, then restart DataFlow Desktop.</source>
        <translation>La synchronisation d’équipe est désactivée&#xa0;: les tâches de vos collègues ne peuvent pas être affichées.

Pour l’activer, ajoutez le bucket de l’équipe comme profil distant dans Fichier → Paramètres… (ou lancez «&#xa0;dataflow remote add&#xa0;»), choisissez-le comme destination de synchronisation, puis redémarrez DataFlow Desktop.</translation>
    </message>
    <message numerus="yes">
        <location line="+41"/>
        <source>%n job(s) in the team&apos;s bucket</source>
        <translation>
            <numerusform>%n tâche dans le bucket de l’équipe</numerusform>
            <numerusform>%n tâches dans le bucket de l’équipe</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The team&apos;s bucket cannot be read: {error}</source>
        <translation>Le bucket de l’équipe est illisible&#xa0;: {error}</translation>
    </message>
</context>
<context>
    <name>TeamSyncPage</name>
    <message>
        <location filename="../../dataflow_desktop/ui/settings_team.py" line="+93"/>
        <source>Sync</source>
        <translation>Synchronisation</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sync finished jobs to:</source>
        <translation>Synchroniser les tâches terminées vers&#xa0;:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sync remote</source>
        <translation>Stockage de synchronisation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run jobs on:</source>
        <translation>Exécuter les tâches sur&#xa0;:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Run jobs on</source>
        <translation>Exécuter les tâches sur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Temporal address:</source>
        <translation>Adresse Temporal&#xa0;:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Temporal address</source>
        <translation>Adresse Temporal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Task queue:</source>
        <translation>File de tâches&#xa0;:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Task queue</source>
        <translation>File de tâches</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cloud only: remove the local copies once the bucket&apos;s copy is verified</source>
        <translation>Cloud uniquement&#xa0;: supprimer les copies locales une fois la copie du bucket vérifiée</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Where jobs run</source>
        <translation>Lieu d’exécution des tâches</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This computer</source>
        <translation>Cet ordinateur</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Team cluster</source>
        <translation>Cluster de l’équipe</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>HOST:PORT, e.g. temporal.example.org:7233</source>
        <translation>HÔTE:PORT, par ex. temporal.example.org:7233</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The team cluster runs jobs on the team&apos;s Temporal workers; results come back through the sync remote, so one must be chosen above.</source>
        <translation>Le cluster de l’équipe exécute les tâches sur les workers Temporal de l’équipe&#xa0;; les résultats reviennent par le stockage de synchronisation, qui doit donc être choisi ci-dessus.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Off (keep jobs on this computer)</source>
        <translation>Désactivée (garder les tâches sur cet ordinateur)</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Running on the team cluster needs a sync remote: results come back through its bucket. Choose one under Sync, or run on this computer.</source>
        <translation>L’exécution sur le cluster de l’équipe nécessite un stockage de synchronisation&#xa0;: les résultats reviennent par son bucket. Choisissez-en un sous Synchronisation, ou exécutez sur cet ordinateur.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Type the Temporal address as HOST:PORT, e.g. temporal.example.org:7233.</source>
        <translation>Saisissez l’adresse Temporal sous la forme HÔTE:PORT, par ex. temporal.example.org:7233.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Type the task queue the team&apos;s workers poll.</source>
        <translation>Saisissez la file de tâches qu’écoutent les workers de l’équipe.</translation>
    </message>
</context>
<context>
    <name>TeamTableModel</name>
    <message>
        <location filename="../../dataflow_desktop/ui/team_panel.py" line="-171"/>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Pages</source>
        <translation>Pages</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Progress</source>
        <translation>Progression</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Updated</source>
        <translation>Mis à jour</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>A copy is in your jobs.</source>
        <translation>Une copie figure dans vos tâches.</translation>
    </message>
</context>
<context>
    <name>ThumbnailListWidget</name>
    <message>
        <location filename="../../dataflow_desktop/ui/viewer/thumbs.py" line="+137"/>
        <source>Page thumbnails</source>
        <translation>Miniatures des pages</translation>
    </message>
</context>
<context>
    <name>ThumbnailModel</name>
    <message>
        <location line="-37"/>
        <source>Page {n}</source>
        <translation>Page {n}</translation>
    </message>
</context>
<context>
    <name>ViewerWidget</name>
    <message>
        <location filename="../../dataflow_desktop/ui/viewer/viewer_widget.py" line="+164"/>
        <source>Text</source>
        <translation>Texte</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Markdown</source>
        <translation>Markdown</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tables</source>
        <translation>Tableaux</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Metadata</source>
        <translation>Métadonnées</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Analysis</source>
        <translation>Analyse</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Warnings</source>
        <translation>Avertissements</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>Result details</source>
        <translation>Détails du résultat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Page text in reading order</source>
        <translation>Texte de la page dans l’ordre de lecture</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Markdown preview</source>
        <translation>Aperçu Markdown</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Page number</source>
        <translation>Numéro de page</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Page </source>
        <translation>Page </translation>
    </message>
    <message>
        <location line="+20"/>
        <source>of {n}</source>
        <translation>sur {n}</translation>
    </message>
    <message>
        <location line="-19"/>
        <location line="+1"/>
        <source>Zoom out</source>
        <translation>Zoom arrière</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zoom in (Ctrl + wheel)</source>
        <translation>Zoom avant (Ctrl + molette)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zoom in</source>
        <translation>Zoom avant</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fit width</source>
        <translation>Ajuster à la largeur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open report</source>
        <translation>Ouvrir le rapport</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open report.html in the web browser</source>
        <translation>Ouvrir report.html dans le navigateur web</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Select a finished job to see its pages, text and tables.</source>
        <translation>Sélectionnez une tâche terminée pour voir ses pages, son texte et ses tableaux.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Loading {name}…</source>
        <translation>Chargement de {name}…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{name} is being processed; its results appear here when it is done.</source>
        <translation>{name} est en cours de traitement&#x202f;; ses résultats s’afficheront ici une fois terminé.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{name} has no results. See the Warnings tab.</source>
        <translation>{name} n’a pas de résultats. Voir l’onglet «&#xa0;Avertissements&#xa0;».</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>The results could not be opened: {error}</source>
        <translation>Les résultats n’ont pas pu être ouverts&#xa0;: {error}</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Copied: {text}</source>
        <translation>Copié&#xa0;: {text}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Table saved to {path}</source>
        <translation>Tableau enregistré dans {path}</translation>
    </message>
</context>
<context>
    <name>WarningsWidget</name>
    <message>
        <location filename="../../dataflow_desktop/ui/viewer/panels.py" line="+40"/>
        <source>Where</source>
        <translation>Où</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warnings and errors</source>
        <translation>Avertissements et erreurs</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>step {step}</source>
        <translation>étape {step}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>document</source>
        <translation>document</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>page {page}</source>
        <translation>page {page}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Warnings ({n})</source>
        <translation>Avertissements ({n})</translation>
    </message>
</context>
<context>
    <name>WindowActions</name>
    <message>
        <location filename="../../dataflow_desktop/ui/window_actions.py" line="+117"/>
        <source>&amp;Open files…</source>
        <translation>&amp;Ouvrir des fichiers…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Add PDF files to process</source>
        <translation>Ajouter des fichiers PDF à traiter</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open &amp;folder…</source>
        <translation>Ouvrir un &amp;dossier…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add every PDF of a folder and its subfolders</source>
        <translation>Ajouter tous les PDF d’un dossier et de ses sous-dossiers</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Paste paths</source>
        <translation>&amp;Coller des chemins</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add the files or folders whose paths are in the clipboard</source>
        <translation>Ajouter les fichiers ou dossiers dont les chemins sont dans le presse-papiers</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Settings…</source>
        <translation>&amp;Paramètres…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Data folder, processing, language and theme</source>
        <translation>Dossier de données, traitement, langue et thème</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Quit DataFlow Desktop</source>
        <translation>Quitter DataFlow Desktop</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Select &amp;all jobs</source>
        <translation>Tout &amp;sélectionner</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Select every job in the list</source>
        <translation>Sélectionner toutes les tâches de la liste</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Find in documents…</source>
        <translation>&amp;Rechercher dans les documents…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search the text of every processed document</source>
        <translation>Rechercher dans le texte de tous les documents traités</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Filter &amp;jobs</source>
        <translation>&amp;Filtrer les tâches</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Filter the job list by file name</source>
        <translation>Filtrer la liste des tâches par nom de fichier</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Refresh</source>
        <translation>Ac&amp;tualiser</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Read the job list and the results again</source>
        <translation>Relire la liste des tâches et les résultats</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Sync now</source>
        <translation>&amp;Synchroniser maintenant</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Upload every finished job that is not in the team&apos;s bucket yet</source>
        <translation>Envoyer toutes les tâches terminées qui ne sont pas encore dans le bucket de l’équipe</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Annuler</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Stop the selected jobs</source>
        <translation>Arrêter les tâches sélectionnées</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Re&amp;try</source>
        <translation>Re&amp;lancer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Process the selected jobs again</source>
        <translation>Traiter à nouveau les tâches sélectionnées</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Re&amp;move…</source>
        <translation>&amp;Supprimer…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the selected jobs and their result files</source>
        <translation>Supprimer les tâches sélectionnées et leurs fichiers de résultats</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open results &amp;folder</source>
        <translation>Ouvrir le &amp;dossier des résultats</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the job&apos;s files in the file manager</source>
        <translation>Afficher les fichiers de la tâche dans le gestionnaire de fichiers</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Export bundle…</source>
        <translation>&amp;Exporter l’archive…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the results of the selected jobs as ZIP bundles</source>
        <translation>Enregistrer les résultats des tâches sélectionnées en archives ZIP</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Show in &amp;viewer</source>
        <translation>Afficher dans la &amp;visionneuse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the pages, text and tables of the job</source>
        <translation>Afficher les pages, le texte et les tableaux de la tâche</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open &amp;log folder</source>
        <translation>Ouvrir le dossier des &amp;journaux</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the folder of the log files</source>
        <translation>Afficher le dossier des fichiers journaux</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;About DataFlow Desktop</source>
        <translation>À &amp;propos de DataFlow Desktop</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Version and licence</source>
        <translation>Version et licence</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Add files</source>
        <translation>Ajouter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add folder</source>
        <translation>Dossier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>View</source>
        <translation>Voir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Folder</source>
        <translation>Résultats</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export</source>
        <translation>Exporter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retry</source>
        <translation>Relancer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sync now</source>
        <translation>Synchroniser</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Find</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Edit</source>
        <translation>É&amp;dition</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Jobs</source>
        <translation>&amp;Tâches</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Help</source>
        <translation>Aid&amp;e</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Main toolbar</source>
        <translation>Barre d’outils principale</translation>
    </message>
</context>
<context>
    <name>WindowStatus</name>
    <message>
        <location filename="../../dataflow_desktop/ui/window_status.py" line="+49"/>
        <source>Overall progress</source>
        <translation>Progression globale</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{where} · team cluster</source>
        <translation>{where} · cluster d’équipe</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>%n job(s) running</source>
        <translation>
            <numerusform>%n tâche en cours</numerusform>
            <numerusform>%n tâches en cours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+11"/>
        <source>%n job(s)</source>
        <translation>
            <numerusform>%n tâche</numerusform>
            <numerusform>%n tâches</numerusform>
        </translation>
    </message>
</context>
</TS>
